package io.github.nestedvirt.compare;

import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.statistics.descriptive.Median;

/**
 * What a candidate run is compared with: the run before it, a chosen run, or the last N runs before it.
 *
 * <p>For the last N runs the baseline samples of a measurement are the medians of those runs, one
 * value per run, not their samples pooled. Runs are the independent units: a reboot, a new page
 * cache or another load on the machine moves every sample of a run together, so pooling 5 runs of
 * 10 samples would pass for 50 independent values with only the within-run spread, and the test
 * would call ordinary run-to-run drift a regression. The medians carry the between-run spread, and
 * the median keeps one odd run from pulling its value.
 *
 * @param kind which runs
 * @param runId the chosen run, for {@link Kind#RUN}
 * @param lastRuns N, for {@link Kind#MEDIAN_OF_LAST}
 */
public record Baseline(Kind kind, String runId, int lastRuns) {

    /** How the baseline is chosen. */
    public enum Kind {
        /** The run just before the candidate. */
        PREVIOUS,
        /** A run chosen by id. */
        RUN,
        /** The medians of the last N runs before the candidate. */
        MEDIAN_OF_LAST
    }

    public Baseline {
        if (kind == Kind.RUN) {
            RunId.requireValid(runId);
        }
        if (kind == Kind.MEDIAN_OF_LAST && lastRuns < 2) {
            throw new IllegalArgumentException("baseline: median:N needs N of at least 2, got " + lastRuns
                    + "; for one run use 'previous'");
        }
    }

    public static Baseline previous() {
        return new Baseline(Kind.PREVIOUS, null, 0);
    }

    public static Baseline run(String runId) {
        return new Baseline(Kind.RUN, runId, 0);
    }

    public static Baseline medianOfLast(int runs) {
        return new Baseline(Kind.MEDIAN_OF_LAST, null, runs);
    }

    /** Reads {@code previous}, a run id, or {@code median:N}. */
    public static Baseline parse(String text) {
        String value = text.strip();
        if (value.equals("previous")) {
            return previous();
        }
        if (value.startsWith("median:")) {
            try {
                return medianOfLast(Integer.parseInt(value.substring("median:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("baseline: median:N needs a whole number N, got '" + text + "'");
            }
        }
        if (RunId.isValid(value)) {
            return run(value);
        }
        throw new IllegalArgumentException("baseline: expected previous, a run id (yyyyMMdd-HHmmss-xxxxxx) or"
                + " median:N, got '" + text + "'");
    }

    /**
     * The baseline runs for {@code candidate} among {@code runs} (oldest first), oldest first.
     *
     * @throws IllegalArgumentException when there is no such run, saying what there is
     */
    public List<Run> select(List<Run> runs, Run candidate) {
        int index = runs.indexOf(candidate);
        List<Run> earlier = runs.subList(0, Math.max(index, 0));
        switch (kind) {
            case PREVIOUS:
                if (earlier.isEmpty()) {
                    throw new IllegalArgumentException("baseline: run " + candidate.id()
                            + " is the oldest run; there is no previous run to compare it with");
                }
                return List.of(earlier.get(earlier.size() - 1));
            case RUN:
                if (runId.equals(candidate.id())) {
                    throw new IllegalArgumentException("baseline: run " + runId + " is the candidate itself");
                }
                return List.of(runs.stream().filter(run -> runId.equals(run.id())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("baseline: no run " + runId
                                + " in the results directory")));
            default:
                if (earlier.isEmpty()) {
                    throw new IllegalArgumentException("baseline: run " + candidate.id()
                            + " is the oldest run; there are no earlier runs for median:" + lastRuns);
                }
                return List.copyOf(earlier.subList(Math.max(0, earlier.size() - lastRuns), earlier.size()));
        }
    }

    /**
     * The baseline samples of the measurement like {@code like} (same key and host) in {@code runs}:
     * its values for a single run, the median of each run that has it for {@link Kind#MEDIAN_OF_LAST}.
     */
    public Samples samples(List<Run> runs, Measurement like) {
        List<Run> used = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Run run : runs) {
            find(run, like).map(Measurement::values).filter(v -> v.length > 0).ifPresent(v -> {
                used.add(run);
                values.add(v);
            });
        }
        if (kind != Kind.MEDIAN_OF_LAST) {
            return new Samples(values.isEmpty() ? new double[0] : values.get(0), used);
        }
        double[] medians = values.stream()
                .mapToDouble(v -> Median.withDefaults().withCopy(true).evaluate(v)).toArray();
        return new Samples(medians, used);
    }

    /** In words, for a report: {@code previous run 2025...}, {@code median of the last 5 runs}. */
    public String describe(List<Run> selected) {
        switch (kind) {
            case PREVIOUS:
                return "previous run " + selected.get(0).id();
            case RUN:
                return "run " + runId;
            default:
                return "medians of the last " + selected.size() + " runs ("
                        + selected.get(0).id() + " to " + selected.get(selected.size() - 1).id() + ")";
        }
    }

    /** The measurement of the same benchmark, metric, level, variant and unit on the same host. */
    static Optional<Measurement> find(Run run, Measurement like) {
        return run.measurements().stream()
                .filter(m -> m.key().equals(like.key()) && m.host().equals(like.host())
                        && java.util.Objects.equals(m.unit(), like.unit()))
                .findFirst();
    }

    /**
     * Baseline samples of one measurement.
     *
     * @param values the samples (for median:N, one median per run)
     * @param runs the runs they come from, oldest first; empty when no baseline run has the measurement
     */
    public record Samples(double[] values, List<Run> runs) {
    }
}
