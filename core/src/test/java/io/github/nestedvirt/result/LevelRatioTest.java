package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.statistics.distribution.TDistribution;
import org.junit.jupiter.api.Test;

class LevelRatioTest {

    private static final double[] L1 = {80.1, 79.5, 81.3, 78.9, 83.0, 80.4};
    private static final double[] L0 = {61.2, 60.8, 61.0, 59.9, 62.3};

    /**
     * Expected bounds found independently in Python: scipy's brentq root finder on the pivot
     * (m1 - r m2) / sqrt(v1 + r^2 v2) = -/+ t, with t = scipy.stats.t.ppf(0.975, 8.98224) = 2.2628390.
     */
    @Test
    void knownAnswerAgainstScipy() {
        LevelRatio ratio = LevelRatio.of(L1, L0);

        assertThat(ratio.estimate()).isCloseTo(1.3193534294451723, within(1e-12));
        assertThat(ratio.ciLow()).isCloseTo(1.290607045222575, within(1e-9));
        assertThat(ratio.ciHigh()).isCloseTo(1.348638798965686, within(1e-9));
        assertThat(ratio.bounded()).isTrue();
    }

    @Test
    void boundsAreWhereTheWelchStatisticMeetsTheTQuantile() {
        LevelRatio ratio = LevelRatio.of(L1, L0);
        double m1 = Summary.of(L1).mean();
        double m2 = Summary.of(L0).mean();
        double v1 = Math.pow(Summary.of(L1).standardDeviation(), 2) / L1.length;
        double v2 = Math.pow(Summary.of(L0).standardDeviation(), 2) / L0.length;
        double r = ratio.estimate();
        double df = Math.pow(v1 + r * r * v2, 2) / (v1 * v1 / 5 + Math.pow(r * r * v2, 2) / 4);
        double t = TDistribution.of(df).inverseSurvivalProbability(0.025);

        assertThat((m1 - ratio.ciLow() * m2) / Math.sqrt(v1 + ratio.ciLow() * ratio.ciLow() * v2))
                .isCloseTo(t, within(1e-9));
        assertThat((m1 - ratio.ciHigh() * m2) / Math.sqrt(v1 + ratio.ciHigh() * ratio.ciHigh() * v2))
                .isCloseTo(-t, within(1e-9));
    }

    @Test
    void intervalIsWiderAboveTheEstimate() {
        // Fieller, unlike a symmetric interval, allows more room upwards: a smaller denominator
        // raises the ratio more than a larger one lowers it
        LevelRatio ratio = LevelRatio.of(new double[] {100, 120, 110, 105, 115}, new double[] {50, 60, 40, 55, 45});

        assertThat(ratio.ciHigh() - ratio.estimate()).isGreaterThan(ratio.estimate() - ratio.ciLow());
    }

    @Test
    void denominatorNotClearlyAwayFromZeroGivesAnUnboundedInterval() {
        // denominator mean 2, standard error 0.87, t(0.975, df 2.57) = 3.51: zero is plausible
        LevelRatio ratio = LevelRatio.of(new double[] {5, 9, 7}, new double[] {0.5, 3.5, 2});

        assertThat(ratio.estimate()).isEqualTo(3.5);
        assertThat(ratio.ciLow()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ratio.ciHigh()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ratio.bounded()).isFalse();
    }

    @Test
    void noSpreadGivesTheExactRatio() {
        assertThat(LevelRatio.of(new double[] {3, 3}, new double[] {2, 2, 2})).isEqualTo(new LevelRatio(1.5, 1.5, 1.5));
    }

    @Test
    void singleSampleGivesNoInterval() {
        LevelRatio ratio = LevelRatio.of(new double[] {3}, new double[] {2, 2.1});

        assertThat(ratio.estimate()).isCloseTo(3 / 2.05, within(1e-12));
        assertThat(ratio.ciLow()).isNaN();
        assertThat(ratio.ciHigh()).isNaN();
    }

    @Test
    void noSamplesIsAnErrorNamingTheSide() {
        assertThatThrownBy(() -> LevelRatio.of(new double[] {1}, new double[0])).hasMessageContaining("denominator");
    }

    /**
     * 2000 simulated L1/L0 pairs (5 and 4 runs, unequal spreads, true ratio 1.25) from a fixed seed:
     * a 95% interval must cover the true ratio in about 95% of them. An interval using the normal
     * quantile instead of t would cover only about 90% here (checked with 20000 pairs in numpy).
     */
    @Test
    void coversTheTrueRatioInAbout95PercentOfSimulatedPairs() {
        Random random = new Random(20250131L);
        double trueL0 = 60;
        double trueL1 = 75;
        int covered = 0;
        int trials = 2000;
        for (int trial = 0; trial < trials; trial++) {
            double[] l1 = normal(random, 5, trueL1, 4.0);
            double[] l0 = normal(random, 4, trueL0, 1.5);
            LevelRatio ratio = LevelRatio.of(l1, l0);
            if (ratio.ciLow() <= 1.25 && 1.25 <= ratio.ciHigh()) {
                covered++;
            }
        }

        assertThat(covered / (double) trials).isBetween(0.93, 0.97);
    }

    @Test
    void betweenMeasurementsOfTheSameThingAtTwoLevels() {
        Measurement l1 = Runs.measurement(Level.L1, "l1-a", L1);
        Measurement l0 = Runs.measurement(Level.L0, "l0", L0);

        assertThat(LevelRatio.between(l1, l0)).as("warm-up runs left out").isEqualTo(LevelRatio.of(L1, L0));
    }

    @Test
    void betweenRefusesDifferentVariantsNamingBoth() {
        Measurement l1 = Runs.measurement(Level.L1, "l1-a", L1);
        Measurement l0 = new Measurement("kernel-build", "seconds", Level.L0, "l0", Map.of("mmu", "shadow"), "s",
                Better.LOWER, List.of(Sample.of(1), Sample.of(2)), Map.of());

        assertThatThrownBy(() -> LevelRatio.between(l1, l0))
                .hasMessageContaining("variant differs")
                .hasMessageContaining("kernel-build/seconds@L1,mmu=ept,shadowVmcs=on")
                .hasMessageContaining("kernel-build/seconds@L0,mmu=shadow");
    }

    @Test
    void betweenRefusesDifferentBenchmarksMetricsAndUnits() {
        Measurement l0 = Runs.measurement(Level.L0, "l0", L0);
        Measurement otherBenchmark = withNames("guestfish-launch", "seconds", "s");
        Measurement otherMetric = withNames("kernel-build", "user-seconds", "s");
        Measurement otherUnit = withNames("kernel-build", "seconds", "ms");

        assertThatThrownBy(() -> LevelRatio.between(otherBenchmark, l0)).hasMessageContaining("benchmark differs");
        assertThatThrownBy(() -> LevelRatio.between(otherMetric, l0)).hasMessageContaining("metric differs");
        assertThatThrownBy(() -> LevelRatio.between(otherUnit, l0)).hasMessageContaining("unit differs (ms vs s)");
    }

    @Test
    void betweenRefusesTheLowerLevelOnTop() {
        Measurement l1 = Runs.measurement(Level.L1, "l1-a", L1);
        Measurement l0 = Runs.measurement(Level.L0, "l0", L0);

        assertThatThrownBy(() -> LevelRatio.between(l0, l1)).hasMessageContaining("got L0 over L1");
        assertThatThrownBy(() -> LevelRatio.between(l1, l1)).hasMessageContaining("got L1 over L1");
    }

    @Test
    void betweenRefusesAMeasurementWithOnlyWarmups() {
        Measurement l1 = new Measurement("kernel-build", "seconds", Level.L1, "l1-a",
                Map.of("mmu", "ept", "shadowVmcs", "on"), "s", Better.LOWER, List.of(Sample.warmup(80)), Map.of());

        assertThatThrownBy(() -> LevelRatio.between(l1, Runs.measurement(Level.L0, "l0", L0)))
                .hasMessageContaining("l1-a").hasMessageContaining("no samples apart from warm-up");
    }

    private static Measurement withNames(String benchmark, String metric, String unit) {
        return new Measurement(benchmark, metric, Level.L1, "l1-a", Map.of("mmu", "ept", "shadowVmcs", "on"), unit,
                Better.LOWER, List.of(Sample.of(80), Sample.of(81)), Map.of());
    }

    private static double[] normal(Random random, int n, double mean, double sd) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = mean + sd * random.nextGaussian();
        }
        return values;
    }
}
