package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunCountPolicyTest {

    private final RunCountPolicy policy = new RunCountPolicy(3, 12, RunCountPolicy.DEFAULT_RSD_THRESHOLD);

    @Test
    void minimumRunsAreAlwaysMadeEvenWhenIdentical() {
        assertThat(policy.needsAnotherRun(List.of())).isTrue();
        assertThat(policy.needsAnotherRun(List.of(100.0))).isTrue();
        assertThat(policy.needsAnotherRun(List.of(100.0, 100.0))).isTrue();
        assertThat(policy.needsAnotherRun(List.of(100.0, 100.0, 100.0))).isFalse();
    }

    @Test
    void stopsWhenSpreadIsBelowThreshold() {
        // rsd 0.35%
        assertThat(policy.needsAnotherRun(List.of(100.0, 100.5, 99.8))).isFalse();
    }

    @Test
    void continuesWhileSpreadIsAtOrAboveThreshold() {
        // rsd 10%
        assertThat(policy.needsAnotherRun(List.of(100.0, 110.0, 90.0))).isTrue();

        List<Double> samples = List.of(9.0, 11.0, 10.0);
        double rsd = Summary.of(9, 11, 10).relativeStandardDeviation();
        assertThat(new RunCountPolicy(3, 12, rsd).needsAnotherRun(samples)).as("at the threshold").isTrue();
        assertThat(new RunCountPolicy(3, 12, rsd * 1.0001).needsAnotherRun(samples)).as("below").isFalse();
    }

    @Test
    void continuesWhenASampleLiesBeyondThreeStandardDeviations() {
        List<Double> samples = new ArrayList<>(Collections.nCopies(11, 100.0));
        samples.add(101.0);
        // mean 100.083, sd 0.289: 101 is 3.18 sd away, while the rsd (0.29%) alone would stop
        assertThat(Summary.of(samples.stream().mapToDouble(Double::doubleValue).toArray())
                .relativeStandardDeviation()).isLessThan(RunCountPolicy.DEFAULT_RSD_THRESHOLD);

        assertThat(new RunCountPolicy(3, 20, RunCountPolicy.DEFAULT_RSD_THRESHOLD).needsAnotherRun(samples))
                .isTrue();
    }

    @Test
    void neverExceedsTheCap() {
        List<Double> wild = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            wild.add(i % 2 == 0 ? 50.0 : 150.0);
        }
        assertThat(policy.needsAnotherRun(wild.subList(0, 11))).isTrue();
        assertThat(policy.needsAnotherRun(wild)).isFalse();
    }

    @Test
    void fixedMakesExactlyThatManyRuns() {
        RunCountPolicy fixed = RunCountPolicy.fixed(5);

        assertThat(fixed.needsAnotherRun(List.of(1.0, 100.0, 1.0, 100.0))).isTrue();
        assertThat(fixed.needsAnotherRun(List.of(1.0, 100.0, 1.0, 100.0, 1.0))).isFalse();
    }

    @Test
    void phoronixCapsByRunLength() {
        assertThat(RunCountPolicy.phoronix(3, Duration.ofSeconds(5)).maxRuns()).isEqualTo(12);
        assertThat(RunCountPolicy.phoronix(3, Duration.ofSeconds(119)).maxRuns()).isEqualTo(12);
        assertThat(RunCountPolicy.phoronix(3, Duration.ofMinutes(2)).maxRuns()).isEqualTo(9);
        assertThat(RunCountPolicy.phoronix(3, Duration.ofSeconds(239)).maxRuns()).isEqualTo(9);
        assertThat(RunCountPolicy.phoronix(3, Duration.ofMinutes(4)).maxRuns()).isEqualTo(6);
        assertThat(RunCountPolicy.phoronix(3, Duration.ofHours(1)).maxRuns()).isEqualTo(6);
        assertThat(RunCountPolicy.phoronix(3, Duration.ofHours(1)).minRuns()).isEqualTo(3);
        assertThat(RunCountPolicy.phoronix(3, Duration.ofHours(1)).rsdThreshold()).isEqualTo(0.025);
    }

    @Test
    void badSettingsNameTheField() {
        assertThatThrownBy(() -> new RunCountPolicy(0, 5, 0.025)).hasMessageContaining("runs: must be at least 1");
        assertThatThrownBy(() -> new RunCountPolicy(5, 4, 0.025)).hasMessageContaining("maxRuns");
        assertThatThrownBy(() -> new RunCountPolicy(3, 4, 0)).hasMessageContaining("rsdThreshold");
        assertThatThrownBy(() -> new RunCountPolicy(3, 4, Double.NaN)).hasMessageContaining("rsdThreshold");
    }
}
