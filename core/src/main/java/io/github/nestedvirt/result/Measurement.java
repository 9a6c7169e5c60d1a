package io.github.nestedvirt.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of one benchmark metric on one host.
 *
 * @param benchmark what was measured, e.g. {@code guestfish-launch}, {@code kernel-build}
 * @param metric the figure within the benchmark, e.g. {@code seconds}, {@code throughput}
 * @param level the nesting level of the measured host
 * @param host the measured host's name
 * @param variant the settings that make this measurement distinct from its siblings, e.g.
 *     {@code {shadowVmcs: off, mmu: shadow-on-ept}}; compared only like for like
 * @param unit the unit of every sample, e.g. {@code s}, {@code MB/s}, {@code Mbit/s}
 * @param better whether lower or higher values are better
 * @param samples every run in order, warm-up runs flagged
 * @param attributes facts about how it ran that are not samples (accelerator, files hashed, -j)
 * @param kvmStat what the hypervisors below the measured level did meanwhile (empty at L0, and in
 *     results written before it was captured)
 */
public record Measurement(String benchmark, String metric, Level level, String host, Map<String, String> variant,
        String unit, Better better, List<Sample> samples, Map<String, String> attributes,
        List<HypervisorExits> kvmStat) {

    @JsonCreator // the canonical constructor: a missing kvmStat (an older result) reads as empty
    public Measurement {
        variant = variant == null ? Map.of() : new TreeMap<>(variant);
        samples = samples == null ? List.of() : List.copyOf(samples);
        attributes = attributes == null ? Map.of() : new TreeMap<>(attributes);
        kvmStat = kvmStat == null ? List.of() : List.copyOf(kvmStat);
    }

    /** A measurement without hypervisor exits: what every benchmark returns. */
    public Measurement(String benchmark, String metric, Level level, String host, Map<String, String> variant,
            String unit, Better better, List<Sample> samples, Map<String, String> attributes) {
        this(benchmark, metric, level, host, variant, unit, better, samples, attributes, List.of());
    }

    /** The same measurement with what the hypervisors below did while it was taken. */
    public Measurement withKvmStat(List<HypervisorExits> exits) {
        return new Measurement(benchmark, metric, level, host, variant, unit, better, samples, attributes, exits);
    }

    /** The values that count for statistics: every sample that is not a warm-up run. */
    @JsonIgnore // derived from samples, not stored
    public double[] values() {
        return samples.stream().filter(s -> !s.warmup()).mapToDouble(Sample::value).toArray();
    }

    /** A stable key for trends and comparisons: benchmark, metric, level and variant. */
    @JsonIgnore // derived, not stored
    public String key() {
        StringBuilder key = new StringBuilder(benchmark).append('/').append(metric).append('@').append(level);
        variant.forEach((name, value) -> key.append(',').append(name).append('=').append(value));
        return key.toString();
    }
}
