package io.github.nestedvirt.report;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs as the engine records them, for report tests. */
final class TestRuns {

    static final Instant FIRST_START = Instant.parse("2025-03-01T10:00:00Z");

    private TestRuns() {
    }

    static HostFacts host(Level level, String name) {
        return new HostFacts(level, name, name + ".example", "GenuineIntel", "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz",
                List.of("fpu", "vmx", "ept"), 4, 8L << 30, "6.1.0-31-amd64", "7.2.15", "9.0.0", "kvm_intel",
                Map.of("nested", "Y", "ept", "Y", "enable_shadow_vmcs", "Y"),
                new KvmStatus(KvmStatus.State.UNUSABLE, "qemu aborted: KVM_CREATE_VM failed"));
    }

    static Measurement measurement(String benchmark, String metric, Level level, Map<String, String> variant,
            String unit, Better better, double... values) {
        List<Sample> samples = new ArrayList<>();
        for (double value : values) {
            samples.add(Sample.of(value));
        }
        return new Measurement(benchmark, metric, level, level.name().toLowerCase() + "-host", variant, unit,
                better, samples, Map.of("accelerator", "tcg"));
    }

    static Measurement guestfish(Level level, double... seconds) {
        return measurement("guestfish-launch", "seconds", level, Map.of(), "s", Better.LOWER, seconds);
    }

    /** A run that started {@code index} days after the first one and took an hour. */
    static Run run(int index, String plan, List<Measurement> measurements) {
        Instant start = FIRST_START.plus(Duration.ofDays(index));
        return new Run(Run.SCHEMA_VERSION, "run-" + index, start, start.plus(Duration.ofHours(1)), plan,
                List.of(host(Level.L0, "l0"), host(Level.L1, "l1")), measurements, List.of());
    }
}
