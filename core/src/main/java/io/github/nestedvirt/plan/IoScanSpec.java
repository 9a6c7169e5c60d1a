package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Seed item 3: {@code find PATHS [-xdev] -exec sha256sum} over a file tree.
 *
 * @param host the plan host to measure
 * @param paths the trees to hash, {@code /} by default
 * @param xdev stay on each path's file system (the seed's second variant), true by default
 * @param dropCaches drop the page cache before each run, so every run reads from disk
 * @param repeat 1 warm-up and 3 measured runs by default
 * @param timeout per run
 */
public record IoScanSpec(String host, List<String> paths, boolean xdev, boolean dropCaches, Repeat repeat,
        Duration timeout) implements BenchmarkSpec {

    public IoScanSpec {
        if (paths.isEmpty() || paths.stream().anyMatch(p -> p == null || p.isBlank())) {
            throw new IllegalArgumentException("paths: give at least one non-empty path");
        }
        paths = List.copyOf(paths);
    }

    @JsonCreator
    static IoScanSpec fromPlan(@JsonProperty(value = "host", required = true) String host,
            @JsonProperty("paths") List<String> paths, @JsonProperty("xdev") Boolean xdev,
            @JsonProperty("dropCaches") Boolean dropCaches,
            @JsonProperty("warmups") Integer warmups, @JsonProperty("runs") Integer runs,
            @JsonProperty("maxRuns") Integer maxRuns, @JsonProperty("rsdThreshold") Double rsdThreshold,
            @JsonProperty("timeoutSeconds") Integer timeoutSeconds) {
        return new IoScanSpec(host, paths == null ? List.of("/") : paths, xdev == null || xdev,
                Boolean.TRUE.equals(dropCaches), Repeat.of(warmups, runs, maxRuns, rsdThreshold, 1, 3),
                Duration.ofSeconds(timeoutSeconds == null ? 3600 : timeoutSeconds));
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("host", host);
    }
}
