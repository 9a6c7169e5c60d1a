package io.github.nestedvirt.trend;

import io.github.nestedvirt.compare.Baseline;
import io.github.nestedvirt.compare.Comparison;
import io.github.nestedvirt.compare.ComparisonText;
import io.github.nestedvirt.compare.RunComparison;
import io.github.nestedvirt.compare.Significance;
import io.github.nestedvirt.compare.Thresholds;
import io.github.nestedvirt.compare.Verdict;
import io.github.nestedvirt.result.Figures;
import io.github.nestedvirt.result.Run;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sets a build UNSTABLE or FAILURE when a metric got worse than its baseline: significantly (Welch's
 * t test at 5%, the engine's {@link RunComparison}) and by more than the thresholds. Noise within the
 * thresholds, or a change the test cannot tell from chance, passes. Figures measured on hosts whose
 * fingerprints differ (another kernel, another qemu) are not judged, and the gate says so.
 * kvm-unit-tests counts are one figure per build: any increase of failed or timed-out tests is a
 * regression. kvm_stat exit rates are left out: they explain a change, they are not one to gate on.
 *
 * <p>A plain class with a few fields, for XStream (see {@link MetricSummary}); the caller picks the
 * baseline builds ({@link #getChosenBuild()}, {@link #getLastBuilds()} tell which) and passes their
 * full results.
 */
public final class QualityGate implements Serializable {

    /** N of {@link BaselineChoice#MEDIAN_OF_LAST_N} unless set. */
    public static final int DEFAULT_LAST_BUILDS = 5;

    /** The kvm-unit-tests counts of which any increase is a regression. */
    private static final List<String> FAILING = List.of("failed", "timeouts");

    @Serial
    private static final long serialVersionUID = 1L;

    private final BaselineChoice baseline;
    private final double maxPercentWorse;
    private final double maxAbsoluteWorse;
    private final GateStatus onRegression;
    private int lastBuilds = DEFAULT_LAST_BUILDS;
    private int chosenBuild;

    /**
     * @param baseline which builds to compare with
     * @param maxPercentWorse how much worse in percent of the baseline mean is tolerated (0: any
     *     significant change counts)
     * @param maxAbsoluteWorse how much worse in the metric's unit is tolerated (0: not checked); a
     *     change must exceed every threshold set
     * @param onRegression the status a regression sets: UNSTABLE or FAILURE
     */
    public QualityGate(BaselineChoice baseline, double maxPercentWorse, double maxAbsoluteWorse,
            GateStatus onRegression) {
        if (baseline == null) {
            throw new IllegalArgumentException("quality gate: baseline must be one of PREVIOUS_BUILD, CHOSEN_BUILD,"
                    + " MEDIAN_OF_LAST_N");
        }
        if (onRegression == null || onRegression == GateStatus.PASSED) {
            throw new IllegalArgumentException("quality gate: onRegression must be UNSTABLE or FAILURE, got "
                    + onRegression);
        }
        requireThreshold("maxPercentWorse", maxPercentWorse);
        requireThreshold("maxAbsoluteWorse", maxAbsoluteWorse);
        this.baseline = baseline;
        this.maxPercentWorse = maxPercentWorse;
        this.maxAbsoluteWorse = maxAbsoluteWorse;
        this.onRegression = onRegression;
    }

    public BaselineChoice getBaseline() {
        return baseline;
    }

    public double getMaxPercentWorse() {
        return maxPercentWorse;
    }

    public double getMaxAbsoluteWorse() {
        return maxAbsoluteWorse;
    }

    public GateStatus getOnRegression() {
        return onRegression;
    }

    /** N of {@link BaselineChoice#MEDIAN_OF_LAST_N}. */
    public int getLastBuilds() {
        return lastBuilds;
    }

    public void setLastBuilds(int lastBuilds) {
        if (lastBuilds < 2) {
            throw new IllegalArgumentException("quality gate: lastBuilds must be 2 or more, got " + lastBuilds
                    + "; to compare with one build choose PREVIOUS_BUILD");
        }
        this.lastBuilds = lastBuilds;
    }

    /** The build number of {@link BaselineChoice#CHOSEN_BUILD}. */
    public int getChosenBuild() {
        return chosenBuild;
    }

    public void setChosenBuild(int chosenBuild) {
        if (chosenBuild < 1) {
            throw new IllegalArgumentException("quality gate: chosenBuild must be a build number (1 or more), got "
                    + chosenBuild);
        }
        this.chosenBuild = chosenBuild;
    }

    /**
     * Judges {@code current} against the baseline builds' results.
     *
     * @param baselineRuns the results of the baseline builds, oldest first: the previous build, the
     *     chosen build, or the last N builds (of more, the last one or the last N are used; the
     *     current run itself never); empty when there is none (the first build)
     */
    public GateResult evaluate(Run current, List<Run> baselineRuns) {
        baselineRuns = baselineOf(current, baselineRuns);
        if (baselineRuns.isEmpty()) {
            return new GateResult(GateStatus.PASSED, List.of("no " + describe(List.of())
                    + " to compare with: quality gate passed without a comparison"));
        }
        List<Run> runs = new ArrayList<>(baselineRuns);
        runs.add(current);
        Baseline selection = baseline == BaselineChoice.MEDIAN_OF_LAST_N && baselineRuns.size() >= 2
                ? Baseline.medianOfLast(baselineRuns.size()) : Baseline.previous();
        RunComparison comparison = RunComparison.of(runs, current, selection,
                new Thresholds(maxPercentWorse, maxAbsoluteWorse), Significance.Test.WELCH_T);
        String against = describe(baselineRuns);

        GateStatus status = GateStatus.PASSED;
        List<String> regressions = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        int improvements = 0;
        int judged = 0;
        for (Comparison c : comparison.comparisons()) {
            if (c.key().startsWith(BuildPageModel.KVM_STAT + "/")) {
                continue; // exit rates explain a change; they are not a figure of merit to gate on
            }
            judged++;
            if (c.key().startsWith(BuildSummary.KVM_UNIT_TESTS + "/") && !differentHosts(c)) {
                // counts of one test run each: no spread to test, every new failure counts
                if (FAILING.contains(c.key().substring(c.key().indexOf('/') + 1, c.key().indexOf('@')))
                        && c.candidate().median() > c.baseline().median()) {
                    status = status.worst(onRegression);
                    regressions.add(String.format(Locale.ROOT, "%s: %s on %s: %s %s, %s in %s", onRegression,
                            c.key(), c.host(), Figures.format(c.candidate().median()), c.unit(),
                            Figures.format(c.baseline().median()), against));
                }
                continue;
            }
            if (c.verdict() == Verdict.REGRESSION) {
                status = status.worst(onRegression);
                regressions.add(onRegression + ": " + c.key() + " on " + c.host() + " is worse: "
                        + change(c) + " against " + against);
            } else if (c.verdict() == Verdict.NOT_COMPARABLE) {
                notCompared.add("not compared: " + c.key() + " on " + c.host() + " (" + Figures.format(
                        c.candidate().median()) + " " + c.unit() + "): " + String.join("; ", c.reasons()));
            } else if (c.verdict() == Verdict.IMPROVEMENT) {
                improvements++;
            }
        }
        List<String> messages = new ArrayList<>(regressions);
        messages.addAll(notCompared);
        comparison.withoutBaseline().forEach(key -> messages.add("no baseline for " + key + " in " + against));
        messages.add(String.format(Locale.ROOT, "compared %s with %s: %s, %s, %d not compared (Welch's t, alpha %s;"
                + " a regression is worse by more than %s)", count(judged, "metric"), against,
                count(regressions.size(), "regression"), count(improvements, "improvement"), notCompared.size(),
                Significance.ALPHA, thresholds()));
        return new GateResult(status, messages);
    }

    /**
     * The runs the gate compares with: never the current run itself; the last one for a single
     * build, the last N for median of N.
     */
    private List<Run> baselineOf(Run current, List<Run> given) {
        List<Run> earlier = given.stream().filter(run -> !run.id().equals(current.id())).toList();
        int keep = baseline == BaselineChoice.MEDIAN_OF_LAST_N ? lastBuilds : 1;
        return earlier.subList(Math.max(0, earlier.size() - keep), earlier.size());
    }

    /** {@code 1602 s (median) after 1400 s, mean +14.4% (95% interval [+13.9%, +14.9%]), significant: p<0.001} */
    private static String change(Comparison c) {
        String p = ComparisonText.p(c.significance());
        return Figures.format(c.candidate().median()) + " " + c.unit() + " (median) after "
                + Figures.format(c.baseline().median()) + " " + c.unit() + ", mean "
                + ComparisonText.percent(c.percentChange()) + " (95% interval " + ComparisonText.interval(c.ratio())
                + "), significant: p" + (p.startsWith("<") ? p : "=" + p);
    }

    private String thresholds() {
        String percent = plain(maxPercentWorse) + "%";
        return maxAbsoluteWorse > 0 ? percent + " and " + plain(maxAbsoluteWorse) + " in the unit" : percent;
    }

    private String describe(List<Run> runs) {
        String ids = runs.isEmpty() ? "" : runs.size() == 1 ? " (run " + runs.get(0).id() + ")"
                : " (runs " + runs.get(0).id() + " to " + runs.get(runs.size() - 1).id() + ")";
        return switch (baseline) {
            case PREVIOUS_BUILD -> "previous build" + ids;
            case CHOSEN_BUILD -> "chosen build" + (chosenBuild > 0 ? " #" + chosenBuild : "") + ids;
            case MEDIAN_OF_LAST_N -> (runs.size() >= 2 ? "medians of the last " + runs.size() + " builds"
                    : runs.isEmpty() ? "earlier build" : "the only earlier build") + ids;
        };
    }

    private static boolean differentHosts(Comparison c) {
        return c.reasons().stream().anyMatch(reason -> reason.startsWith("different fingerprint"));
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static void requireThreshold(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("quality gate: " + field + " must be a number 0 or above, got " + value);
        }
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
