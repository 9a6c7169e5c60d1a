package io.github.nestedvirt.trend;

import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Summary;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.DoubleStream;

/**
 * What a build keeps of one result set for its trends: a few numbers per metric and the
 * kvm-unit-tests counts, small enough to load for hundreds of builds at once. Trend charts read only
 * this, never a full {@link Run} (the raw samples stay in the result file).
 *
 * <p>A plain class with final fields rather than a record, for XStream (see {@link MetricSummary}).
 */
public final class BuildSummary implements Serializable {

    /** The benchmark name under which kvm-unit-tests results are recorded. */
    public static final String KVM_UNIT_TESTS = "kvm-unit-tests";

    @Serial
    private static final long serialVersionUID = 1L;

    private final String resultsId;
    private final String runId;
    private final ArrayList<MetricSummary> metrics;
    private final int failures;
    private final int kutPassed;
    private final int kutFailed;
    private final int kutSkipped;
    private final int kutTimeouts;
    private final boolean kvmUnitTests;

    private BuildSummary(String resultsId, String runId, List<MetricSummary> metrics, int failures, int[] kut,
            boolean kvmUnitTests) {
        this.resultsId = resultsId;
        this.runId = runId;
        this.metrics = new ArrayList<>(metrics);
        this.failures = failures;
        this.kutPassed = kut[0];
        this.kutFailed = kut[1];
        this.kutSkipped = kut[2];
        this.kutTimeouts = kut[3];
        this.kvmUnitTests = kvmUnitTests;
    }

    /** The summary of {@code run}, as the result set named after its plan. */
    public static BuildSummary of(Run run) {
        return of(run.plan() == null || run.plan().isBlank() ? "nvmx" : run.plan(), run);
    }

    /**
     * The summary of {@code run} as the result set {@code resultsId}: one {@link MetricSummary} per
     * measurement key. Where several hosts of one level measured the same key (two L1 guests), their
     * samples are taken together, so a trend line stays one line. Measurements without samples
     * are left out.
     */
    public static BuildSummary of(String resultsId, Run run) {
        Map<String, List<Measurement>> byKey = new LinkedHashMap<>();
        for (Measurement measurement : run.measurements()) {
            if (measurement.benchmark() != null && measurement.metric() != null
                    && measurement.values().length > 0) {
                byKey.computeIfAbsent(measurement.key() + "\u0000" + measurement.unit(), k -> new ArrayList<>())
                        .add(measurement);
            }
        }
        List<MetricSummary> metrics = new ArrayList<>();
        int[] kut = new int[4];
        boolean kvmUnitTests = false;
        for (List<Measurement> same : byKey.values()) {
            Measurement first = same.get(0);
            double[] values = same.stream().flatMapToDouble(m -> DoubleStream.of(m.values())).toArray();
            Set<String> hosts = new LinkedHashSet<>();
            same.forEach(m -> hosts.add(m.host()));
            metrics.add(new MetricSummary(first.key(), first.benchmark(), first.metric(),
                    first.level() == null ? null : first.level().name(), first.variant(), first.unit(),
                    String.join(",", hosts), Summary.of(values), first.better() == Better.HIGHER));
            if (KVM_UNIT_TESTS.equals(first.benchmark())) {
                kvmUnitTests = true;
                int count = (int) Math.round(DoubleStream.of(values).sum());
                switch (first.metric()) {
                    case "passed" -> kut[0] += count;
                    case "failed" -> kut[1] += count;
                    case "skipped" -> kut[2] += count;
                    case "timeouts" -> kut[3] += count;
                    default -> { } // a metric a newer engine adds: kept as a metric, not counted here
                }
            }
        }
        return new BuildSummary(resultsId, run.id(), metrics, run.failures().size(), kut, kvmUnitTests);
    }

    /** The id of the result set: several result sets per build are told apart by it. */
    public String getResultsId() {
        return resultsId;
    }

    /** The id of the run it summarizes. */
    public String getRunId() {
        return runId;
    }

    public List<MetricSummary> getMetrics() {
        return Collections.unmodifiableList(metrics);
    }

    /** The metric with this key ({@link MetricSummary#getKey()}). */
    public Optional<MetricSummary> metric(String key) {
        return metrics.stream().filter(metric -> metric.getKey().equals(key)).findFirst();
    }

    /** How many benchmarks of the run failed to produce a measurement. */
    public int getFailures() {
        return failures;
    }

    /** Whether the run holds kvm-unit-tests results. */
    public boolean hasKvmUnitTests() {
        return kvmUnitTests;
    }

    public int getKutPassed() {
        return kutPassed;
    }

    /** Failed tests, unexpected passes included (kvm-unit-tests counts those as failures). */
    public int getKutFailed() {
        return kutFailed;
    }

    public int getKutSkipped() {
        return kutSkipped;
    }

    public int getKutTimeouts() {
        return kutTimeouts;
    }
}
