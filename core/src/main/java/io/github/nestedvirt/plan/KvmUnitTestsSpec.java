package io.github.nestedvirt.plan;

import io.github.nestedvirt.bench.KvmUnitTests;
import java.util.Map;

/** Seed item 0 on one host: {@code type: kvm-unit-tests}, {@code host}, then the suite's own keys. */
public record KvmUnitTestsSpec(String host, KvmUnitTests.Parameters parameters) implements BenchmarkSpec {

    @Override
    public String type() {
        return "kvm-unit-tests";
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("host", host);
    }
}
