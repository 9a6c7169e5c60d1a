package io.github.nestedvirt.compare;

import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every measurement of a candidate run compared with a baseline.
 *
 * @param candidate the candidate run's id
 * @param baseline the baseline in words ({@code previous run 20250131-120000-3fa9c1})
 * @param baselineRuns the ids of the baseline runs, oldest first
 * @param comparisons one per measurement that the baseline also has
 * @param withoutBaseline measurements of the candidate (key and host) that no baseline run has
 * @param fingerprintDifferences every fingerprint difference found, for a summary line
 * @param test the significance test used
 * @param thresholds the thresholds used
 */
public record RunComparison(String candidate, String baseline, List<String> baselineRuns,
        List<Comparison> comparisons, List<String> withoutBaseline, List<String> fingerprintDifferences,
        Significance.Test test, Thresholds thresholds) {

    public RunComparison {
        baselineRuns = List.copyOf(baselineRuns);
        comparisons = List.copyOf(comparisons);
        withoutBaseline = List.copyOf(withoutBaseline);
        fingerprintDifferences = List.copyOf(fingerprintDifferences);
    }

    /**
     * Compares {@code candidate} with {@code baseline} chosen among {@code runs} (oldest first, the
     * candidate among them).
     */
    public static RunComparison of(List<Run> runs, Run candidate, Baseline baseline, Thresholds thresholds,
            Significance.Test test) {
        List<Run> selected = baseline.select(runs, candidate);
        List<Comparison> comparisons = new ArrayList<>();
        List<String> withoutBaseline = new ArrayList<>();
        Set<String> allDifferences = new LinkedHashSet<>();
        for (Measurement measurement : candidate.measurements()) {
            double[] values = measurement.values();
            Baseline.Samples samples = baseline.samples(selected, measurement);
            if (values.length == 0 || samples.values().length == 0) {
                withoutBaseline.add(measurement.key() + " on " + measurement.host()
                        + (values.length == 0 ? " (no samples in the candidate)" : ""));
                continue;
            }
            Set<String> differences = new LinkedHashSet<>();
            for (Run run : samples.runs()) {
                String prefix = samples.runs().size() > 1 ? "run " + run.id() + ": " : "";
                Fingerprints.differences(run, candidate, measurement.level())
                        .forEach(difference -> differences.add(prefix + difference));
            }
            allDifferences.addAll(differences);
            comparisons.add(Comparison.of(measurement.key(), measurement.host(), measurement.unit(),
                    measurement.better(), samples.values(), values, thresholds, test, List.copyOf(differences)));
        }
        return new RunComparison(candidate.id(), baseline.describe(selected), selected.stream().map(Run::id).toList(),
                comparisons, withoutBaseline, List.copyOf(allDifferences), test, thresholds);
    }

    /** Whether any measurement regressed. */
    public boolean regression() {
        return comparisons.stream().anyMatch(c -> c.verdict() == Verdict.REGRESSION);
    }
}
