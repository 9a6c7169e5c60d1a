package io.github.nestedvirt.trend;

import io.github.nestedvirt.compare.Baseline;
import io.github.nestedvirt.compare.Comparison;
import io.github.nestedvirt.compare.Overheads;
import io.github.nestedvirt.compare.RunComparison;
import io.github.nestedvirt.compare.Significance;
import io.github.nestedvirt.compare.Thresholds;
import io.github.nestedvirt.compare.VariantComparison;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Summary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the build page shows of one result set, from its full result (and the previous build's, when
 * there is one): plain lists of rows with text a page prints as it is.
 */
public final class BuildPageModel {

    /** The benchmark name under which kvm_stat event rates are recorded. */
    public static final String KVM_STAT = "kvm-stat";

    private static final List<String> NOT_PASSED = List.of("fail", "skip", "timeout", "xpass");

    private final Run run;
    private final Run previous;
    private final RunComparison comparison;

    private BuildPageModel(Run run, Run previous) {
        this.run = run;
        this.previous = previous;
        this.comparison = previous == null ? null : RunComparison.of(List.of(previous, run), run,
                Baseline.previous(), Thresholds.DEFAULT, Significance.Test.WELCH_T);
    }

    public static BuildPageModel of(Run run) {
        return new BuildPageModel(run, null);
    }

    /** The page of {@code run} with each measurement's change since {@code previous} (may be null). */
    public static BuildPageModel of(Run run, Run previous) {
        return new BuildPageModel(run, previous);
    }

    public String getRunId() {
        return run.id();
    }

    public String getPlan() {
        return run.plan();
    }

    /** UTC start time, {@code 2025-03-14T10:00:00Z}. */
    public String getStart() {
        return run.start() == null ? "" : run.start().toString();
    }

    /** How long the run took, {@code 1 h 05 min}; empty while it runs. */
    public String getDuration() {
        if (run.start() == null || run.end() == null) {
            return "";
        }
        Duration duration = Duration.between(run.start(), run.end());
        return duration.toHours() > 0
                ? String.format(Locale.ROOT, "%d h %02d min", duration.toHours(), duration.toMinutesPart())
                : String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
    }

    /** Benchmarks that did not produce a measurement, with the reason. */
    public List<String> getFailures() {
        return run.failures();
    }

    public boolean isComparedWithPrevious() {
        return comparison != null;
    }

    /** The previous run's id; empty without one. */
    public String getPreviousRunId() {
        return previous == null ? "" : previous.id();
    }

    /** Host facts that differ from the previous build's (no verdict across those); empty when alike. */
    public List<String> getFingerprintDifferences() {
        return comparison == null ? List.of() : comparison.fingerprintDifferences();
    }

    /** Every measurement in the order taken, with n, median and interval. */
    public List<MeasurementView> getMeasurements() {
        Map<String, Comparison> byKeyAndHost = new HashMap<>();
        if (comparison != null) {
            comparison.comparisons().forEach(c -> byKeyAndHost.put(c.key() + "\u0000" + c.host(), c));
        }
        return run.measurements().stream()
                .map(m -> new MeasurementView(m, byKeyAndHost.get(m.key() + "\u0000" + m.host()))).toList();
    }

    /** What each level of nesting costs: L1/L0 and L2/L1 of every benchmark, with Fieller intervals. */
    public List<RatioView> getLevelRatios() {
        return Overheads.of(run, Significance.Test.WELCH_T).stream().map(RatioView::new).toList();
    }

    /** VMCS shadowing off over on, everything else equal. */
    public List<RatioView> getVmcsShadowing() {
        return VariantComparison.of(run, VariantComparison.SHADOW_VMCS, "off", "on", Significance.Test.WELCH_T)
                .stream().map(RatioView::new).toList();
    }

    /** Every pair of MMU modes measured, everything else equal. */
    public List<RatioView> getMmuModes() {
        return VariantComparison.allPairs(run, VariantComparison.MMU, Significance.Test.WELCH_T).stream()
                .map(RatioView::new).toList();
    }

    /**
     * VM exits per second by reason, and the nested events, as kvm_stat recorded them: a capture of
     * its own (stored as {@value #KVM_STAT} measurements, one per event) and the counts taken on the
     * hypervisors below each measurement while it ran. Captures of their own first, then by
     * measurement and hypervisor, the most frequent first.
     */
    public List<ExitRateView> getExitRates() {
        List<ExitRateView> rows = new ArrayList<>();
        for (Measurement m : run.measurements()) {
            String event = KVM_STAT.equals(m.benchmark()) ? ExitRateView.event(m.metric()) : null;
            if (event != null && m.values().length > 0) {
                Summary rate = Summary.of(m);
                rows.add(new ExitRateView("", String.valueOf(m.level()), m.host(), event, rate.median(), rate.ciLow(),
                        rate.ciHigh(), rate.n()));
            }
            for (HypervisorExits exits : m.kvmStat()) {
                exits.perSecond().forEach((name, perSecond) -> {
                    String reason = ExitRateView.event(name);
                    if (reason != null) {
                        // only the mean over the measurement was kept: no interval
                        rows.add(new ExitRateView(m.key(), String.valueOf(exits.level()), exits.host(), reason,
                                perSecond, Double.NaN, Double.NaN, 0));
                    }
                });
            }
        }
        rows.sort(Comparator.comparing(ExitRateView::getDuring).thenComparing(ExitRateView::getHost)
                .thenComparing(Comparator.comparingDouble(ExitRateView::getPerSecondValue).reversed()));
        return rows;
    }

    /** kvm-unit-tests counts per host. */
    public List<KutResultView> getKvmUnitTests() {
        Map<String, KutResultView> byHost = new LinkedHashMap<>();
        for (Measurement m : kutMeasurements()) {
            String variant = text(m.variant());
            byHost.computeIfAbsent(m.level() + "\u0000" + m.host() + "\u0000" + variant,
                    k -> new KutResultView(String.valueOf(m.level()), m.host(), variant))
                    .count(m.metric(), (int) Math.round(m.values()[0]), m.attributes().get("summary"));
        }
        return List.copyOf(byHost.values());
    }

    /** The kvm-unit-tests that did not pass, with the reason or counts kvm-unit-tests gave. */
    public List<KutTestView> getKutTests() {
        Map<String, KutTestView> tests = new LinkedHashMap<>();
        for (Measurement m : kutMeasurements()) {
            m.attributes().forEach((name, detail) -> {
                int dot = name.indexOf('.');
                if (dot > 0 && NOT_PASSED.contains(name.substring(0, dot))) {
                    // every count of a host carries the same attributes: one row per test
                    tests.putIfAbsent(m.level() + "\u0000" + m.host() + "\u0000" + name, new KutTestView(
                            String.valueOf(m.level()), m.host(), name.substring(dot + 1),
                            name.substring(0, dot).toUpperCase(Locale.ROOT), detail));
                }
            });
        }
        return List.copyOf(tests.values());
    }

    private List<Measurement> kutMeasurements() {
        return run.measurements().stream()
                .filter(m -> BuildSummary.KVM_UNIT_TESTS.equals(m.benchmark()) && m.values().length > 0).toList();
    }

    static String text(Map<String, String> variant) {
        return variant.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
