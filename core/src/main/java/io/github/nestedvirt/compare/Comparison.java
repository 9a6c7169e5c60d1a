package io.github.nestedvirt.compare;

import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.LevelRatio;
import io.github.nestedvirt.result.Summary;
import java.util.ArrayList;
import java.util.List;

/**
 * One measurement of a candidate run against its baseline: the same benchmark, metric, level,
 * variant and unit on the same host.
 *
 * <p>The change is that of the mean (candidate - baseline), as are the ratio and its Fieller
 * interval ({@link LevelRatio#of}) and Welch's t test: the three agree with each other. A change is
 * a {@link Verdict#REGRESSION} or {@link Verdict#IMPROVEMENT} only when it is significant and reaches
 * the {@link Thresholds}. When the fingerprints differ, or a side has fewer than two samples, the
 * figures are still given but the verdict is {@link Verdict#NOT_COMPARABLE} and {@link #reasons}
 * says why.
 *
 * @param key the measurement key ({@code kernel-build/seconds@L1,shadowVmcs=on})
 * @param host the measured host
 * @param unit the unit of both sides
 * @param better which direction is an improvement, or null when not recorded
 * @param baseline statistics of the baseline samples
 * @param candidate statistics of the candidate samples
 * @param ratio candidate mean / baseline mean with its 95% interval
 * @param absoluteChange candidate mean - baseline mean, in {@code unit}
 * @param percentChange the change in percent of the baseline mean
 * @param direction better or worse
 * @param significance the test of candidate against baseline
 * @param verdict the conclusion
 * @param reasons why the verdict is {@link Verdict#NOT_COMPARABLE}; empty otherwise
 */
public record Comparison(String key, String host, String unit, Better better, Summary baseline, Summary candidate,
        LevelRatio ratio, double absoluteChange, double percentChange, Direction direction,
        Significance significance, Verdict verdict, List<String> reasons) {

    public Comparison {
        reasons = List.copyOf(reasons);
    }

    /**
     * Compares {@code candidate} with {@code baseline} samples of the same thing.
     *
     * @param fingerprintDifferences what differs between the hosts that measured the two sides
     *     ({@code "l1 kernel: 6.1.0 -> 6.6.0"}); any makes the verdict {@link Verdict#NOT_COMPARABLE}
     */
    public static Comparison of(String key, String host, String unit, Better better, double[] baseline,
            double[] candidate, Thresholds thresholds, Significance.Test test, List<String> fingerprintDifferences) {
        if (baseline.length == 0 || candidate.length == 0) {
            throw new IllegalArgumentException("compare " + key + ": no samples in the "
                    + (baseline.length == 0 ? "baseline" : "candidate") + " apart from warm-up runs");
        }
        Summary before = Summary.of(baseline);
        Summary after = Summary.of(candidate);
        LevelRatio ratio = LevelRatio.of(candidate, baseline);
        double absoluteChange = after.mean() - before.mean();
        double percentChange = 100 * absoluteChange / Math.abs(before.mean());
        Direction direction = direction(better, absoluteChange);
        Significance significance = Significance.of(baseline, candidate, test);

        List<String> reasons = new ArrayList<>();
        fingerprintDifferences.forEach(difference -> reasons.add("different fingerprint: " + difference));
        if (!significance.testable()) {
            reasons.add(baseline.length < 2 || candidate.length < 2
                    ? "too few samples to test (" + baseline.length + " baseline, " + candidate.length + " candidate)"
                    : "no spread on either side to test");
        }
        if (better == null) {
            reasons.add("the measurement does not say whether lower or higher is better");
        }
        Verdict verdict;
        if (!reasons.isEmpty()) {
            verdict = Verdict.NOT_COMPARABLE;
        } else if (significance.significant() && thresholds.reached(absoluteChange, percentChange)) {
            verdict = direction == Direction.WORSE ? Verdict.REGRESSION
                    : direction == Direction.BETTER ? Verdict.IMPROVEMENT : Verdict.NO_CHANGE;
        } else {
            verdict = Verdict.NO_CHANGE;
        }
        return new Comparison(key, host, unit, better, before, after, ratio, absoluteChange, percentChange, direction,
                significance, verdict, reasons);
    }

    private static Direction direction(Better better, double change) {
        if (better == null) {
            return Direction.UNKNOWN;
        }
        if (change == 0) {
            return Direction.SAME;
        }
        return (change < 0) == (better == Better.LOWER) ? Direction.BETTER : Direction.WORSE;
    }
}
