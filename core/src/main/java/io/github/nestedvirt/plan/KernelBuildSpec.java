package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;

/**
 * Seed item 1: a Linux kernel build, timed on the measured host.
 *
 * @param host the plan host to measure
 * @param source a kernel tarball on that host, or an http(s) URL it downloads; or null with {@code tree}
 * @param tree an existing kernel source tree on that host, used instead of {@code source}
 * @param workDir where the tarball is unpacked, on that host
 * @param config {@code tinyconfig}, {@code defconfig}, {@code allnoconfig}, or null with {@code configFile}
 * @param configFile a {@code .config} on that host, used instead of {@code config}
 * @param jobs {@code make -j}, or null for the host's CPU count
 * @param dropCaches drop the page cache before each build
 * @param repeat no warm-up and 3 measured builds by default, {@code make clean} between builds
 * @param timeout per build
 */
public record KernelBuildSpec(String host, String source, String tree, String workDir, String config,
        String configFile, Integer jobs, boolean dropCaches, Repeat repeat, Duration timeout) implements BenchmarkSpec {

    public KernelBuildSpec {
        if ((source == null) == (tree == null)) {
            throw new IllegalArgumentException("give either 'source' (a kernel tarball path or URL) or 'tree' "
                    + "(an unpacked kernel source directory), not " + (source == null ? "neither" : "both"));
        }
        if (config != null && configFile != null) {
            throw new IllegalArgumentException("give either 'config' or 'configFile', not both");
        }
        if (jobs != null && jobs < 1) {
            throw new IllegalArgumentException("jobs: must be at least 1, got " + jobs);
        }
    }

    @JsonCreator
    static KernelBuildSpec fromPlan(@JsonProperty(value = "host", required = true) String host,
            @JsonProperty("source") String source, @JsonProperty("tree") String tree,
            @JsonProperty("workDir") String workDir, @JsonProperty("config") String config,
            @JsonProperty("configFile") String configFile, @JsonProperty("jobs") Integer jobs,
            @JsonProperty("dropCaches") Boolean dropCaches,
            @JsonProperty("warmups") Integer warmups, @JsonProperty("runs") Integer runs,
            @JsonProperty("maxRuns") Integer maxRuns, @JsonProperty("rsdThreshold") Double rsdThreshold,
            @JsonProperty("timeoutMinutes") Integer timeoutMinutes) {
        return new KernelBuildSpec(host, source, tree, workDir == null ? "/var/tmp/nvmx-kernel" : workDir,
                config == null && configFile == null ? "tinyconfig" : config, configFile, jobs,
                Boolean.TRUE.equals(dropCaches), Repeat.of(warmups, runs, maxRuns, rsdThreshold, 0, 3),
                Duration.ofMinutes(timeoutMinutes == null ? 240 : timeoutMinutes));
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("host", host);
    }
}
