package io.github.nestedvirt.result;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Runs with every field populated, for tests that store and read them. */
final class Runs {

    private Runs() {
    }

    static HostFacts facts(Level level, String host) {
        return new HostFacts(level, host, host + ".example.test", "GenuineIntel",
                "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", List.of("fpu", "vmx", "ept", "vpid"), 48,
                404_000_000_000L, "6.1.0-28-amd64", "7.2.15", "9.0.0", "kvm_intel",
                Map.of("nested", "Y", "ept", "Y", "enable_shadow_vmcs", "Y"),
                new KvmStatus(KvmStatus.State.UNUSABLE, "qemu hung for 10 s with -accel kvm"));
    }

    static Measurement measurement(Level level, String host, double... values) {
        List<Sample> samples = new java.util.ArrayList<>();
        samples.add(Sample.warmup(values[0] * 1.5));
        for (double value : values) {
            samples.add(Sample.of(value));
        }
        return new Measurement("kernel-build", "seconds", level, host, Map.of("mmu", "ept", "shadowVmcs", "on"),
                "s", Better.LOWER, samples, Map.of("jobs", "8", "accelerator", "kvm"));
    }

    static Run run(String id, Instant start) {
        return new Run(Run.SCHEMA_VERSION, id, start, start.plusSeconds(3_725).plusNanos(123_456_789), "seed",
                List.of(facts(Level.L0, "l0"), facts(Level.L1, "l1-a")),
                List.of(measurement(Level.L0, "l0", 61.2, 60.8, 61.0),
                        measurement(Level.L1, "l1-a", 80.1, 79.5, 81.3)),
                List.of("guestfish-launch@L2: guest l2-a unreachable over SSH after 300 s"));
    }
}
