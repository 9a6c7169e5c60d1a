package io.github.nestedvirt.compare;

import java.util.Locale;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.TTest;

/**
 * Whether two independent sets of samples (a baseline and a candidate) differ by more than chance:
 * a two-sided test at {@link #ALPHA}.
 *
 * <p>The default is Welch's t test. Benchmark run counts are small (the run-count policy makes 3 to
 * 20 runs), and at such sizes a rank test is short of power or cannot decide at all: the smallest
 * two-sided p-value Mann-Whitney U can give for 3 against 3 samples is 0.1, so a real 20% slowdown
 * measured three times would never count as significant. Welch's t uses the values, not only their
 * order, and does not assume the two sides have the same spread (a loaded or a nested host is often
 * noisier). It assumes roughly normal means, which repeated timings of the same job on a quiet host
 * give; where outliers are a worry (shared hosts, network throughput) Mann-Whitney U can be asked
 * for, and it has close to Welch's power from about 8 samples a side.
 *
 * <p>With fewer than two samples on either side, or no spread on either side, there is nothing to
 * test: the p-value is NaN and the difference is not significant; {@link #testable()} says so.
 *
 * @param test the test used
 * @param pValue two-sided p-value, NaN when untestable
 * @param significant whether {@code pValue < ALPHA}
 */
public record Significance(Test test, double pValue, boolean significant) {

    /** The significance level: a 5% chance of calling identical distributions different. */
    public static final double ALPHA = 0.05;

    /** A standard two-sample test. */
    public enum Test {
        /** Welch's unequal-variances t test: the default. */
        WELCH_T("Welch's t"),
        /** Mann-Whitney U (Wilcoxon rank-sum), exact p-value for small samples without ties. */
        MANN_WHITNEY_U("Mann-Whitney U");

        private final String label;

        Test(String label) {
            this.label = label;
        }

        /** The test's usual name. */
        public String label() {
            return label;
        }

        /** The test named {@code welch} or {@code mann-whitney} (case and {@code _}/{@code -} ignored). */
        public static Test parse(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            if (n.equals("welch") || n.equals("welch-t") || n.equals("t")) {
                return WELCH_T;
            }
            if (n.equals("mann-whitney") || n.equals("mann-whitney-u") || n.equals("u")) {
                return MANN_WHITNEY_U;
            }
            throw new IllegalArgumentException("test: must be welch or mann-whitney, got '" + name + "'");
        }
    }

    /** Welch's t test of {@code baseline} against {@code candidate}. */
    public static Significance of(double[] baseline, double[] candidate) {
        return of(baseline, candidate, Test.WELCH_T);
    }

    /** The given test of {@code baseline} against {@code candidate}. */
    public static Significance of(double[] baseline, double[] candidate, Test test) {
        if (baseline.length < 2 || candidate.length < 2 || (noSpread(baseline) && noSpread(candidate))) {
            return new Significance(test, Double.NaN, false);
        }
        double p = test == Test.WELCH_T
                ? TTest.withDefaults().test(baseline, candidate).getPValue()
                : MannWhitneyUTest.withDefaults().test(baseline, candidate).getPValue();
        return new Significance(test, p, p < ALPHA);
    }

    /** Whether there was enough to test: two samples a side and some spread. */
    public boolean testable() {
        return !Double.isNaN(pValue);
    }

    private static boolean noSpread(double[] values) {
        for (double value : values) {
            if (value != values[0]) {
                return false;
            }
        }
        return true;
    }
}
