package io.github.nestedvirt.result;

import java.util.Objects;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Variance;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The ratio of the means of one metric at two levels, e.g. L1/L0 or L2/L1, with its 95% confidence
 * interval: how much a level of nesting costs. For times ({@link Better#LOWER}) 1.25 means 25% slower
 * one level up; for throughputs 0.8 means 20% less.
 *
 * <p>The interval is Fieller's for the ratio of two independent means: the set of ratios r for which
 * {@code (mean1 - r*mean2) / sqrt(v1 + r^2 v2)} lies within the t quantile, where
 * {@code v = s^2/n} is each mean's squared standard error. The variances of the two levels are not
 * assumed equal, so the t distribution takes the Welch-Satterthwaite degrees of freedom, evaluated at
 * the estimated ratio. Unlike a plain delta-method interval, Fieller's is not symmetric: it widens
 * on the side where a smaller denominator would push the ratio up.
 *
 * <p>When the denominator's mean is itself not clearly away from zero (its own interval would contain
 * zero), the set of plausible ratios is unbounded and the interval is given as -infinity..+infinity.
 * With fewer than two samples on either side there is no spread to go on: the interval is NaN, as in
 * {@link Summary}.
 *
 * @param estimate mean of the numerator / mean of the denominator
 * @param ciLow lower bound of the 95% confidence interval of the ratio
 * @param ciHigh upper bound of the 95% confidence interval of the ratio
 */
public record LevelRatio(double estimate, double ciLow, double ciHigh) {

    /** The ratio of the means of {@code numerator} and {@code denominator}, two independent samples. */
    public static LevelRatio of(double[] numerator, double[] denominator) {
        if (numerator.length == 0 || denominator.length == 0) {
            throw new IllegalArgumentException("ratio: no samples in the "
                    + (numerator.length == 0 ? "numerator" : "denominator"));
        }
        double mean1 = Mean.of(numerator).getAsDouble();
        double mean2 = Mean.of(denominator).getAsDouble();
        double ratio = mean1 / mean2;
        if (numerator.length < 2 || denominator.length < 2) {
            return new LevelRatio(ratio, Double.NaN, Double.NaN);
        }
        double v1 = Variance.of(numerator).getAsDouble() / numerator.length;
        double v2 = Variance.of(denominator).getAsDouble() / denominator.length;
        double varianceAtRatio = v1 + ratio * ratio * v2;
        if (varianceAtRatio == 0) {
            // no spread on either side: the ratio is known exactly
            return new LevelRatio(ratio, ratio, ratio);
        }
        double df = varianceAtRatio * varianceAtRatio
                / (v1 * v1 / (numerator.length - 1) + Math.pow(ratio * ratio * v2, 2) / (denominator.length - 1));
        double t = TDistribution.of(df).inverseSurvivalProbability((1 - Summary.CONFIDENCE) / 2);
        double t2 = t * t;
        // The bounds solve (mean1 - r mean2)^2 = t^2 (v1 + r^2 v2), a quadratic a r^2 - 2 b r + c = 0.
        double a = mean2 * mean2 - t2 * v2;
        double b = mean1 * mean2;
        double c = mean1 * mean1 - t2 * v1;
        if (a <= 0) {
            return new LevelRatio(ratio, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double root = Math.sqrt(b * b - a * c);
        return new LevelRatio(ratio, (b - root) / a, (b + root) / a);
    }

    /**
     * The ratio {@code upper / lower} of two measurements of the same benchmark, metric, variant and
     * unit at two levels, e.g. the kernel build at L1 over the same at L0.
     *
     * @throws IllegalArgumentException naming what differs, when they do not measure the same thing,
     *     or when {@code upper} is not a higher level than {@code lower}
     */
    public static LevelRatio between(Measurement upper, Measurement lower) {
        requireSame("benchmark", upper.benchmark(), lower.benchmark(), upper, lower);
        requireSame("metric", upper.metric(), lower.metric(), upper, lower);
        requireSame("variant", upper.variant(), lower.variant(), upper, lower);
        requireSame("unit", upper.unit(), lower.unit(), upper, lower);
        if (upper.level() == null || lower.level() == null || upper.level().compareTo(lower.level()) <= 0) {
            throw new IllegalArgumentException("ratio of " + upper.key() + " over " + lower.key()
                    + ": the numerator must be the higher level (L1 over L0, L2 over L1), got "
                    + upper.level() + " over " + lower.level());
        }
        return of(requireSamples(upper), requireSamples(lower));
    }

    /** Whether the interval has finite bounds. */
    public boolean bounded() {
        return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
    }

    private static void requireSame(String field, Object upperValue, Object lowerValue, Measurement upper,
            Measurement lower) {
        if (!Objects.equals(upperValue, lowerValue)) {
            throw new IllegalArgumentException("ratio of " + upper.key() + " over " + lower.key() + ": " + field
                    + " differs (" + upperValue + " vs " + lowerValue + "); compare only like with like");
        }
    }

    private static double[] requireSamples(Measurement measurement) {
        double[] values = measurement.values();
        if (values.length == 0) {
            throw new IllegalArgumentException("ratio: " + measurement.key() + " on " + measurement.host()
                    + " has no samples apart from warm-up runs");
        }
        return values;
    }
}
