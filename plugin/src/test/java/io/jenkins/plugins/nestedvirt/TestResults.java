package io.jenkins.plugins.nestedvirt;

import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Engine results as a benchmark run would record them, for tests that need many builds of them. */
public final class TestResults {

    private TestResults() {
    }

    /** A kernel build of L1 and L2 with VMCS shadowing on, taking about {@code seconds}. */
    public static Run kernelBuild(Instant start, double seconds) {
        return new Run(Run.SCHEMA_VERSION, RunId.next(start), start, start.plus(Duration.ofMinutes(5)), "test",
                List.of(), List.of(kernel(Level.L1, seconds), kernel(Level.L2, seconds * 1.4)), List.of());
    }

    private static Measurement kernel(Level level, double seconds) {
        return new Measurement("kernel-build", "seconds", level, level.name().toLowerCase(),
                Map.of("shadowVmcs", "on"), "s", Better.LOWER,
                List.of(Sample.of(seconds), Sample.of(seconds * 1.01), Sample.of(seconds * 0.99)), Map.of());
    }
}
