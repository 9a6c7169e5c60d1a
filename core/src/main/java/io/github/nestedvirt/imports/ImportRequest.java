package io.github.nestedvirt.imports;

import io.github.nestedvirt.result.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to import and how to label it.
 *
 * @param format the tool output's format
 * @param file the file holding it
 * @param benchmark the benchmark name to store it under, or null for the format's usual one (e.g.
 *     {@code guestfish-launch} for a guestfish loop, so imported and measured runs share a trend)
 * @param metric the metric name, or null for the format's usual one
 * @param level the nesting level the output was measured on
 * @param host the measured host's name
 * @param variant settings that set this measurement apart, e.g. {@code shadowVmcs=off}
 * @param warmups runs at the start of a timing loop to flag as warm-up, or null for the format's
 *     default (1 for {@code guestfish-loop}, 0 otherwise)
 * @param kvmStatInterval the {@code -s} delay of a kvm_stat log in seconds, or null to take it from the
 *     output's time stamps
 * @param start when the output was produced (the run's start), or null for the file's modification time
 */
public record ImportRequest(ImportFormat format, Path file, String benchmark, String metric, Level level,
        String host, Map<String, String> variant, Integer warmups, Double kvmStatInterval, Instant start) {

    public ImportRequest {
        variant = variant == null ? Map.of() : new TreeMap<>(variant);
    }
}
