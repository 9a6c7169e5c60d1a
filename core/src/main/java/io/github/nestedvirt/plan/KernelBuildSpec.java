package io.github.nestedvirt.plan;

import io.github.nestedvirt.bench.KernelBuild;
import java.util.Map;

/** Seed item 1 on one host: {@code type: kernel}, {@code host}, then the benchmark's own keys. */
public record KernelBuildSpec(String host, KernelBuild.Parameters parameters) implements BenchmarkSpec {

    @Override
    public String type() {
        return "kernel";
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("host", host);
    }
}
