package io.github.nestedvirt.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunComparisonTest {

    static final HostFacts L0 = facts(Level.L0, "l0", "6.1.0-18-amd64", "Y");
    static final HostFacts L1 = facts(Level.L1, "l1", "6.1.0-18-amd64", "Y");

    @Test
    void slowerKernelBuildAgainstThePreviousRunIsARegression() {
        Run first = run("20250101-120000-000001", List.of(L0, L1), build(Level.L1, "l1", 100, 101, 99, 100.5, 99.5));
        Run second = run("20250102-120000-000002", List.of(L0, L1), build(Level.L1, "l1", 110, 111, 109, 110.5, 109.5));

        RunComparison comparison = RunComparison.of(List.of(first, second), second, Baseline.previous(),
                Thresholds.DEFAULT, Significance.Test.WELCH_T);

        assertThat(comparison.baselineRuns()).containsExactly(first.id());
        Comparison build = comparison.comparisons().get(0);
        assertThat(build.key()).isEqualTo("kernel-build/seconds@L1,shadowVmcs=on");
        assertThat(build.percentChange()).isCloseTo(10.0, within(1e-9));
        assertThat(build.absoluteChange()).isCloseTo(10.0, within(1e-9));
        assertThat(build.direction()).isEqualTo(Direction.WORSE);
        assertThat(build.verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(build.ratio().ciLow()).isLessThan(1.1).isGreaterThan(1.0);
        assertThat(comparison.regression()).isTrue();
        assertThat(comparison.fingerprintDifferences()).isEmpty();
    }

    @Test
    void aSignificantChangeBelowTheThresholdsIsNoChange() {
        Run first = run("20250101-120000-000001", List.of(L0, L1), build(Level.L1, "l1", 100, 100.1, 99.9, 100.05));
        Run second = run("20250102-120000-000002", List.of(L0, L1), build(Level.L1, "l1", 101, 101.1, 100.9, 101.05));

        Comparison percentOnly = RunComparison.of(List.of(first, second), second, Baseline.previous(),
                Thresholds.DEFAULT, Significance.Test.WELCH_T).comparisons().get(0);
        Comparison absoluteToo = RunComparison.of(List.of(first, second), second, Baseline.previous(),
                new Thresholds(0.5, 2), Significance.Test.WELCH_T).comparisons().get(0);
        Comparison small = RunComparison.of(List.of(first, second), second, Baseline.previous(),
                new Thresholds(0.5, 0.5), Significance.Test.WELCH_T).comparisons().get(0);

        assertThat(percentOnly.significance().significant()).isTrue();
        assertThat(percentOnly.verdict()).isEqualTo(Verdict.NO_CHANGE);
        assertThat(absoluteToo.verdict()).isEqualTo(Verdict.NO_CHANGE);
        assertThat(small.verdict()).isEqualTo(Verdict.REGRESSION);
    }

    @Test
    void anotherKernelBelowTheMeasuredLevelMakesItNotComparableButKeepsTheFigures() {
        HostFacts newKernel = facts(Level.L0, "l0", "6.6.8-amd64", "Y");
        Run first = run("20250101-120000-000001", List.of(L0, L1), build(Level.L1, "l1", 100, 101, 99));
        Run second = run("20250102-120000-000002", List.of(newKernel, L1), build(Level.L1, "l1", 120, 121, 119));

        RunComparison comparison = RunComparison.of(List.of(first, second), second, Baseline.previous(),
                Thresholds.DEFAULT, Significance.Test.WELCH_T);

        Comparison build = comparison.comparisons().get(0);
        assertThat(build.verdict()).isEqualTo(Verdict.NOT_COMPARABLE);
        assertThat(build.percentChange()).isCloseTo(20.0, within(1e-9));
        assertThat(build.reasons()).containsExactly("different fingerprint: l0 kernel: 6.1.0-18-amd64 -> 6.6.8-amd64");
        assertThat(comparison.regression()).isFalse();
        assertThat(ComparisonText.format(comparison)).contains("NOT_COMPARABLE")
                .contains("Fingerprints differ (no verdict across them):\n  l0 kernel: 6.1.0-18-amd64 -> 6.6.8-amd64");
    }

    @Test
    void fingerprintsComparedAreKvmParametersAndKvmStateOfTheLevelsUpToTheMeasuredOne() {
        HostFacts noShadow = facts(Level.L0, "l0", "6.1.0-18-amd64", "N");
        HostFacts l1Tcg = L1.withKvm(new KvmStatus(KvmStatus.State.UNUSABLE, "hangs"));
        Run before = run("20250101-120000-000001", List.of(L0, L1));
        Run after = run("20250102-120000-000002", List.of(noShadow, l1Tcg));

        assertThat(Fingerprints.differences(before, after, Level.L1)).containsExactly(
                "l0 kvm_intel.enable_shadow_vmcs: Y -> N", "l1 KVM: USABLE -> UNUSABLE");
        assertThat(Fingerprints.differences(before, after, Level.L0))
                .containsExactly("l0 kvm_intel.enable_shadow_vmcs: Y -> N");
        assertThat(Fingerprints.differences(before, run("20250103-120000-000003", List.of()), Level.L1))
                .containsExactly("no fingerprint recorded in the candidate run 20250103-120000-000003");
    }

    @Test
    void medianOfTheLastRunsUsesOneMedianPerRun() {
        Run r1 = run("20250101-120000-000001", List.of(), build(Level.L1, "l1", 90, 91, 500));
        Run r2 = run("20250102-120000-000002", List.of(), build(Level.L1, "l1", 100, 101, 99));
        Run r3 = run("20250103-120000-000003", List.of(), build(Level.L1, "l1", 102, 103, 101));
        Run r4 = run("20250104-120000-000004", List.of(), build(Level.L1, "l1", 104, 105, 103));
        Run candidate = run("20250105-120000-000005", List.of(), build(Level.L1, "l1", 104, 104, 104));
        List<Run> runs = List.of(r1, r2, r3, r4, candidate);

        Baseline baseline = Baseline.parse("median:3");
        List<Run> selected = baseline.select(runs, candidate);
        Baseline.Samples samples = baseline.samples(selected, candidate.measurements().get(0));

        assertThat(selected).extracting(Run::id).containsExactly(r2.id(), r3.id(), r4.id());
        assertThat(samples.values()).containsExactly(100, 102, 104);
        assertThat(baseline.describe(selected)).isEqualTo("medians of the last 3 runs (" + r2.id() + " to "
                + r4.id() + ")");
        assertThat(Baseline.parse("median:10").select(runs, candidate)).hasSize(4);
    }

    @Test
    void aChosenRunAndBadBaselinesNameWhatIsWrong() {
        Run r1 = run("20250101-120000-000001", List.of(), build(Level.L1, "l1", 100, 101));
        Run r2 = run("20250102-120000-000002", List.of(), build(Level.L1, "l1", 100, 101));

        assertThat(Baseline.parse("20250102-120000-000002").select(List.of(r1, r2), r1)).containsExactly(r2);
        assertThatThrownBy(() -> Baseline.previous().select(List.of(r1, r2), r1))
                .hasMessage("baseline: run 20250101-120000-000001 is the oldest run; there is no previous run to"
                        + " compare it with");
        assertThatThrownBy(() -> Baseline.parse("20250103-120000-000003").select(List.of(r1, r2), r2))
                .hasMessage("baseline: no run 20250103-120000-000003 in the results directory");
        assertThatThrownBy(() -> Baseline.parse("median:1")).hasMessageContaining("N of at least 2");
        assertThatThrownBy(() -> Baseline.parse("last"))
                .hasMessage("baseline: expected previous, a run id (yyyyMMdd-HHmmss-xxxxxx) or median:N, got 'last'");
    }

    @Test
    void singleSamplesGiveFiguresButNoVerdict() {
        Comparison c = Comparison.of("iperf3/throughput@L2", "l2", "Mbit/s", Better.HIGHER, new double[] {900},
                new double[] {700, 710}, Thresholds.DEFAULT, Significance.Test.WELCH_T, List.of());

        assertThat(c.direction()).isEqualTo(Direction.WORSE);
        assertThat(c.verdict()).isEqualTo(Verdict.NOT_COMPARABLE);
        assertThat(c.reasons()).containsExactly("too few samples to test (1 baseline, 2 candidate)");
    }

    @Test
    void levelOverheadsAndVariantsSideBySide() {
        Run run = run("20250101-120000-000001", List.of(),
                new Measurement("kernel-build", "seconds", Level.L0, "l0", Map.of(), "s", Better.LOWER,
                        samples(60, 61, 59, 60.5), Map.of()),
                build(Level.L1, "l1", 80, 81, 79, 80.5),
                new Measurement("kernel-build", "seconds", Level.L1, "l1", Map.of("shadowVmcs", "off"), "s",
                        Better.LOWER, samples(96, 97, 95, 96.5), Map.of()),
                new Measurement("kernel-build", "seconds", Level.L2, "l2", Map.of("shadowVmcs", "on"), "s",
                        Better.LOWER, samples(120, 121, 119, 120.5), Map.of()));

        List<RatioRow> overheads = Overheads.of(run, Significance.Test.WELCH_T);
        List<RatioRow> shadow = VariantComparison.of(run, VariantComparison.SHADOW_VMCS, "off", "on",
                Significance.Test.WELCH_T);

        assertThat(overheads).extracting(RatioRow::label).containsExactly(
                "kernel-build/seconds L1/L0 shadowVmcs=on (l1 over l0)",
                "kernel-build/seconds L1/L0 shadowVmcs=off (l1 over l0)",
                "kernel-build/seconds L2/L1 shadowVmcs=on (l2 over l1)");
        assertThat(overheads.get(0).ratio().estimate()).isCloseTo(80.125 / 60.125, within(1e-12));
        assertThat(overheads.get(2).ratio().estimate()).isCloseTo(120.125 / 80.125, within(1e-12));
        assertThat(overheads).allMatch(row -> row.significance().significant());
        assertThat(shadow).singleElement().satisfies(row -> {
            assertThat(row.label()).isEqualTo("kernel-build/seconds@L1 shadowVmcs off/on (l1)");
            assertThat(row.ratio().estimate()).isCloseTo(96.125 / 80.125, within(1e-12));
            assertThat(row.ratio().ciLow()).isGreaterThan(1);
        });
    }

    @Test
    void aGuestfishLaunchUnderTcgIsFlaggedInItsLevelOverheadNotPassedOffAsNesting() {
        Map<String, String> variant = Map.of("backend", "direct");
        Run run = run("20250101-120000-000001", List.of(),
                new Measurement("guestfish-launch", "seconds", Level.L0, "l0", variant, "s", Better.LOWER,
                        samples(3.1, 3.0, 3.2), Map.of("accelerator", "kvm")),
                new Measurement("guestfish-launch", "seconds", Level.L1, "l1", variant, "s", Better.LOWER,
                        samples(61, 60, 62), Map.of("accelerator", "tcg")),
                new Measurement("io-scan", "seconds", Level.L0, "l0", Map.of(), "s", Better.LOWER,
                        samples(1, 1.1, 0.9), Map.of()),
                new Measurement("io-scan", "seconds", Level.L1, "l1", Map.of(), "s", Better.LOWER,
                        samples(2, 2.1, 1.9), Map.of()));

        List<RatioRow> overheads = Overheads.of(run, Significance.Test.WELCH_T);

        assertThat(overheads).extracting(RatioRow::label).containsExactly(
                "guestfish-launch/seconds L1/L0 backend=direct (l1 over l0)"
                        + " [TCG: L1 tcg, L0 kvm; emulation, not a nesting figure]",
                "io-scan/seconds L1/L0 (l1 over l0)");
        // the figure itself is kept: it is what the user's machine did
        assertThat(overheads.get(0).ratio().estimate()).isCloseTo(61.0 / 3.1, within(1e-12));
    }

    static Run run(String id, List<HostFacts> fingerprint, Measurement... measurements) {
        return new Run(Run.SCHEMA_VERSION, id, Instant.parse(id.substring(0, 4) + "-" + id.substring(4, 6) + "-"
                + id.substring(6, 8) + "T12:00:00Z"), null, "test", fingerprint, List.of(measurements), List.of());
    }

    static Measurement build(Level level, String host, double... values) {
        return new Measurement("kernel-build", "seconds", level, host, Map.of("shadowVmcs", "on"), "s", Better.LOWER,
                samples(values), Map.of());
    }

    static List<Sample> samples(double... values) {
        return Arrays.stream(values).mapToObj(Sample::of).toList();
    }

    static HostFacts facts(Level level, String host, String kernel, String shadowVmcs) {
        return new HostFacts(level, host, host, "GenuineIntel", "Intel Xeon E5-2680 v2", List.of("vmx"), 4,
                8L << 30, kernel, "7.2.19", "9.0.0", "kvm_intel",
                Map.of("nested", "Y", "ept", "Y", "enable_shadow_vmcs", shadowVmcs),
                new KvmStatus(KvmStatus.State.USABLE, "probe guest ran"));
    }
}
