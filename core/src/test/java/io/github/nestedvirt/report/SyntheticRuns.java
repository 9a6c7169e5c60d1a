package io.github.nestedvirt.report;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Realistic run histories for benchmarks and previews: ten measurements per run (guestfish launch,
 * kernel build with and without shadow VMCS, iperf3, file hashing on L0, L1, L2), about ten samples
 * each with one warm-up, nested levels slower by the factors TCG gives.
 */
final class SyntheticRuns {

    private SyntheticRuns() {
    }

    static List<Run> create(int count, long seed) {
        Random random = new Random(seed);
        List<Run> runs = new ArrayList<>(count);
        Instant start = Instant.parse("2024-01-01T02:00:00Z");
        List<HostFacts> hosts = List.of(TestRuns.host(Level.L0, "l0"), TestRuns.host(Level.L1, "l1"),
                TestRuns.host(Level.L2, "l2"));
        for (int i = 0; i < count; i++) {
            // a slow drift, as kernels and qemu versions change
            double drift = 1 + 0.1 * Math.sin(i / 40.0);
            List<Measurement> measurements = new ArrayList<>();
            measurements.add(measurement(random, "guestfish-launch", "seconds", Level.L0, Map.of(), "s",
                    Better.LOWER, 9.5 * drift));
            measurements.add(measurement(random, "guestfish-launch", "seconds", Level.L1, Map.of(), "s",
                    Better.LOWER, 31 * drift));
            measurements.add(measurement(random, "kernel-build", "seconds", Level.L1, Map.of(), "s",
                    Better.LOWER, 610 * drift));
            measurements.add(measurement(random, "kernel-build", "seconds", Level.L2,
                    Map.of("shadowVmcs", "on"), "s", Better.LOWER, 1450 * drift));
            measurements.add(measurement(random, "kernel-build", "seconds", Level.L2,
                    Map.of("shadowVmcs", "off"), "s", Better.LOWER, 1980 * drift));
            measurements.add(measurement(random, "iperf3", "throughput", Level.L1, Map.of(), "Mbit/s",
                    Better.HIGHER, 2400 / drift));
            measurements.add(measurement(random, "iperf3", "throughput", Level.L2, Map.of(), "Mbit/s",
                    Better.HIGHER, 610 / drift));
            measurements.add(measurement(random, "find-sha256", "seconds", Level.L0, Map.of(), "s",
                    Better.LOWER, 42 * drift));
            measurements.add(measurement(random, "find-sha256", "seconds", Level.L1, Map.of(), "s",
                    Better.LOWER, 118 * drift));
            measurements.add(measurement(random, "find-sha256", "seconds", Level.L2, Map.of(), "s",
                    Better.LOWER, 395 * drift));
            Instant runStart = start.plus(Duration.ofHours(24L * i));
            runs.add(new Run(Run.SCHEMA_VERSION, RunId.next(runStart), runStart,
                    runStart.plus(Duration.ofMinutes(95 + random.nextInt(20))), "nvmx-nightly", hosts, measurements,
                    i % 17 == 0 ? List.of("kvm-unit-tests on l2: guest did not boot within 300 s") : List.of()));
        }
        return runs;
    }

    private static Measurement measurement(Random random, String benchmark, String metric, Level level,
            Map<String, String> variant, String unit, Better better, double typical) {
        List<Sample> samples = new ArrayList<>();
        samples.add(Sample.warmup(typical * 1.3));
        int n = 8 + random.nextInt(5);
        for (int s = 0; s < n; s++) {
            samples.add(Sample.of(typical * (1 + 0.02 * random.nextGaussian())));
        }
        return new Measurement(benchmark, metric, level, level.name().toLowerCase(), variant, unit, better, samples,
                Map.of("accelerator", "tcg"));
    }
}
