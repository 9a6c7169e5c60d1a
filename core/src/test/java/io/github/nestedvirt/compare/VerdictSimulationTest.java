package io.github.nestedvirt.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.result.Better;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The verdicts on synthetic benchmark series with a known answer: normal samples around 100 s with
 * a relative standard deviation of 1-2%, as the run-count policy accepts them (under 2.5%), at its
 * smallest run count (3) and a typical one (10).
 */
class VerdictSimulationTest {

    private static final int TRIALS = 2000;

    @Test
    void identicalDistributionsGiveAtMostFivePercentFalseAlarms() {
        Random random = new Random(20250314L);
        int significant = 0;
        int alarms = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            double[] baseline = series(random, 10, 100, 0.02);
            double[] candidate = series(random, 10, 100, 0.02);
            significant += Significance.of(baseline, candidate).significant() ? 1 : 0;
            alarms += verdict(baseline, candidate, Significance.Test.WELCH_T) != Verdict.NO_CHANGE ? 1 : 0;
        }
        // The test alone is calibrated: about 5% (binomial sd 0.5% over 2000 trials), not far less.
        assertThat(significant / (double) TRIALS).isBetween(0.035, 0.065);
        // The threshold then removes the significant but tiny differences.
        assertThat(alarms / (double) TRIALS).isLessThanOrEqualTo(0.05);
    }

    @Test
    void mannWhitneyOnRequestAlsoKeepsFalseAlarmsAtFivePercent() {
        Random random = new Random(7L);
        int significant = 0;
        int alarms = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            double[] baseline = series(random, 10, 100, 0.02);
            double[] candidate = series(random, 10, 100, 0.02);
            significant += Significance.of(baseline, candidate, Significance.Test.MANN_WHITNEY_U).significant() ? 1 : 0;
            alarms += verdict(baseline, candidate, Significance.Test.MANN_WHITNEY_U) != Verdict.NO_CHANGE ? 1 : 0;
        }
        assertThat(significant / (double) TRIALS).isBetween(0.035, 0.065);
        assertThat(alarms / (double) TRIALS).isLessThanOrEqualTo(0.05);
    }

    @Test
    void fivePercentSlowerIsARegressionInAtLeast95PercentOfTrialsAtTenRuns() {
        assertThat(regressionRate(new Random(1L), 10, 0.02, Significance.Test.WELCH_T)).isGreaterThanOrEqualTo(0.95);
        assertThat(regressionRate(new Random(2L), 10, 0.02, Significance.Test.MANN_WHITNEY_U))
                .isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void fivePercentSlowerIsARegressionInAtLeast90PercentOfTrialsAtThreeRuns() {
        assertThat(regressionRate(new Random(3L), 3, 0.01, Significance.Test.WELCH_T)).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void fivePercentFasterIsAnImprovementNotARegression() {
        Random random = new Random(4L);
        int improvements = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            improvements += verdict(series(random, 10, 100, 0.015), series(random, 10, 95, 0.015),
                    Significance.Test.WELCH_T) == Verdict.IMPROVEMENT ? 1 : 0;
        }
        assertThat(improvements / (double) TRIALS).isGreaterThanOrEqualTo(0.95);
    }

    private static double regressionRate(Random random, int runs, double rsd, Significance.Test test) {
        int found = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            found += verdict(series(random, runs, 100, rsd), series(random, runs, 105, rsd), test)
                    == Verdict.REGRESSION ? 1 : 0;
        }
        return found / (double) TRIALS;
    }

    private static Verdict verdict(double[] baseline, double[] candidate, Significance.Test test) {
        return Comparison.of("kernel-build/seconds@L1", "l1", "s", Better.LOWER, baseline, candidate,
                Thresholds.DEFAULT, test, List.of()).verdict();
    }

    private static double[] series(Random random, int runs, double mean, double rsd) {
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = mean * (1 + rsd * random.nextGaussian());
        }
        return values;
    }
}
