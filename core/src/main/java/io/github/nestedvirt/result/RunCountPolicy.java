package io.github.nestedvirt.result;

import java.time.Duration;
import java.util.List;

/**
 * How many times to repeat a benchmark, after the Phoronix Test Suite rule: at least {@code minRuns};
 * then one more run while the relative standard deviation is at or above {@code rsdThreshold} or a
 * sample lies beyond 3 standard deviations of the mean; never more than {@code maxRuns}.
 *
 * <p>The outlier rule compares each sample with the mean and standard deviation of all samples,
 * itself included. With n samples no value can lie further than (n-1)/sqrt(n) standard deviations
 * from their mean, which is under 3 up to n = 10: the rule can only call for a run from the 11th
 * sample on, by which time a spread-out set has usually been extended by the RSD rule already.
 *
 * @param minRuns runs always made (warm-up runs not counted)
 * @param maxRuns the cap
 * @param rsdThreshold relative standard deviation, as a fraction, below which the samples are stable
 */
public record RunCountPolicy(int minRuns, int maxRuns, double rsdThreshold) {

    /** The Phoronix default threshold: 2.5%. */
    public static final double DEFAULT_RSD_THRESHOLD = 0.025;

    public RunCountPolicy {
        if (minRuns < 1) {
            throw new IllegalArgumentException("runs: must be at least 1, got " + minRuns);
        }
        if (maxRuns < minRuns) {
            throw new IllegalArgumentException("maxRuns: must be at least runs (" + minRuns + "), got " + maxRuns);
        }
        if (!(rsdThreshold > 0)) {
            throw new IllegalArgumentException("rsdThreshold: must be a positive fraction, got " + rsdThreshold);
        }
    }

    /** Exactly {@code runs} runs, whatever the spread. */
    public static RunCountPolicy fixed(int runs) {
        return new RunCountPolicy(runs, runs, DEFAULT_RSD_THRESHOLD);
    }

    /**
     * The Phoronix caps: {@code minRuns} x4 for runs under 2 minutes, x3 under 4 minutes, x2 beyond.
     *
     * @param typicalRun how long one run takes (e.g. the first measured run)
     */
    public static RunCountPolicy phoronix(int minRuns, Duration typicalRun) {
        int factor = typicalRun.compareTo(Duration.ofMinutes(2)) < 0 ? 4
                : typicalRun.compareTo(Duration.ofMinutes(4)) < 0 ? 3 : 2;
        return new RunCountPolicy(minRuns, minRuns * factor, DEFAULT_RSD_THRESHOLD);
    }

    /** Whether the samples taken so far (warm-up runs excluded) call for another run. */
    public boolean needsAnotherRun(List<Double> samples) {
        if (samples.size() < minRuns) {
            return true;
        }
        if (samples.size() >= maxRuns || samples.size() < 2) {
            return false;
        }
        Summary summary = Summary.of(samples.stream().mapToDouble(Double::doubleValue).toArray());
        if (summary.relativeStandardDeviation() >= rsdThreshold) {
            return true;
        }
        double limit = 3 * summary.standardDeviation();
        return samples.stream().anyMatch(value -> Math.abs(value - summary.mean()) > limit);
    }
}
