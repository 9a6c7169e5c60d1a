package io.github.nestedvirt.result;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.descriptive.Statistic;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The statistics of a measurement's non-warm-up samples.
 *
 * <p>The 95% confidence interval of the mean uses Student's t distribution with n-1 degrees of
 * freedom: benchmark run counts are small (3 to 12), where the normal approximation is too narrow.
 * With a single sample the spread and the interval are undefined and given as NaN.
 *
 * @param n number of samples that count
 * @param median the middle value
 * @param mean the arithmetic mean
 * @param standardDeviation the sample standard deviation (n-1)
 * @param relativeStandardDeviation standard deviation / |mean|, as a fraction (0.025 is 2.5%)
 * @param min the smallest value
 * @param max the largest value
 * @param ciLow lower bound of the 95% confidence interval of the mean
 * @param ciHigh upper bound of the 95% confidence interval of the mean
 */
public record Summary(int n, double median, double mean, double standardDeviation, double relativeStandardDeviation,
        double min, double max, double ciLow, double ciHigh) {

    /** Two-sided 95%. */
    public static final double CONFIDENCE = 0.95;

    public static Summary of(Measurement measurement) {
        return of(measurement.values());
    }

    public static Summary of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples to summarize");
        }
        DoubleStatistics stats = DoubleStatistics.of(
                EnumSet.of(Statistic.MIN, Statistic.MAX, Statistic.MEAN, Statistic.STANDARD_DEVIATION), values);
        double mean = stats.getAsDouble(Statistic.MEAN);
        // withCopy: Median partially sorts its input in place by default, which would reorder the caller's samples
        double median = Median.withDefaults().withCopy(true).evaluate(values);
        if (values.length < 2) {
            return new Summary(1, median, mean, Double.NaN, Double.NaN, mean, mean, Double.NaN, Double.NaN);
        }
        double sd = stats.getAsDouble(Statistic.STANDARD_DEVIATION);
        double halfWidth = tQuantile(values.length - 1) * sd / Math.sqrt(values.length);
        return new Summary(values.length, median, mean, sd, sd / Math.abs(mean),
                stats.getAsDouble(Statistic.MIN), stats.getAsDouble(Statistic.MAX), mean - halfWidth, mean + halfWidth);
    }

    /** The t value that leaves (1 - CONFIDENCE) / 2 in the upper tail. */
    static double tQuantile(int degreesOfFreedom) {
        // kept: inverting the t distribution costs more than the rest of a summary, and trends summarize
        // thousands of measurements with the same few run counts
        return T_QUANTILES.computeIfAbsent(degreesOfFreedom,
                df -> TDistribution.of(df).inverseSurvivalProbability((1 - CONFIDENCE) / 2));
    }

    private static final Map<Integer, Double> T_QUANTILES = new ConcurrentHashMap<>();
}
