package io.github.nestedvirt.plan;

import io.github.nestedvirt.bench.IoScan;
import java.util.Map;

/** Seed item 3 (I/O) on one host: {@code type: io}, {@code host}, then the benchmark's own keys. */
public record IoScanSpec(String host, IoScan.Parameters parameters) implements BenchmarkSpec {

    @Override
    public String type() {
        return "io";
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("host", host);
    }
}
