package io.github.nestedvirt.trend;

import static io.github.nestedvirt.trend.FixtureRuns.kernelBuild;
import static io.github.nestedvirt.trend.FixtureRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Run;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityGateTest {

    private static final Map<String, String> SHADOW_ON = Map.of("shadowVmcs", "on");
    private static final String KEY = "kernel-build/seconds@L2,shadowVmcs=on";

    private static Run build(int index, String kernel, double... seconds) {
        return run(index, kernel, List.of(kernelBuild(Level.L2, SHADOW_ON, seconds)));
    }

    @Test
    void aClearRegressionSetsTheChosenStatusAndSaysWhatHowMuchAndAgainstWhat() {
        List<Run> lastThree = List.of(build(0, "6.1", 1400, 1405, 1398, 1402, 1401),
                build(1, "6.1", 1396, 1404, 1400, 1399, 1403), build(2, "6.1", 1402, 1398, 1401, 1400, 1397));
        Run current = build(3, "6.1", 1600, 1610, 1595, 1605, 1602);
        QualityGate gate = new QualityGate(BaselineChoice.MEDIAN_OF_LAST_N, 5, 0, GateStatus.UNSTABLE);
        gate.setLastBuilds(3);

        GateResult result = gate.evaluate(current, lastThree);

        assertThat(result.status()).isEqualTo(GateStatus.UNSTABLE);
        assertThat(result.messages().get(0))
                .startsWith("UNSTABLE: " + KEY + " on l2 is worse: 1602 s (median) after 1400 s")
                .contains("+14.4%", "95% interval [+", "significant: p<0.001")
                .contains("medians of the last 3 builds (runs " + lastThree.get(0).id() + " to "
                        + lastThree.get(2).id() + ")");
        assertThat(result.messages()).last().asString()
                .contains("compared 1 metric with", ": 1 regression, 0 improvements, 0 not compared");
    }

    @Test
    void ofMoreBuildsOnlyTheLastNCountAndNeverTheCurrentOne() {
        List<Run> five = List.of(build(0, "6.1", 1600, 1601, 1602), build(1, "6.1", 1600, 1601, 1602),
                build(2, "6.1", 1400, 1401, 1402), build(3, "6.1", 1399, 1400, 1401),
                build(4, "6.1", 1401, 1402, 1400));
        Run current = build(5, "6.1", 1500, 1502, 1501);
        QualityGate gate = new QualityGate(BaselineChoice.MEDIAN_OF_LAST_N, 3, 0, GateStatus.UNSTABLE);
        gate.setLastBuilds(3);
        List<Run> withCurrent = new java.util.ArrayList<>(five);
        withCurrent.add(current);

        GateResult result = gate.evaluate(current, withCurrent);

        // against builds 2 to 4 (1401 s): 7% worse; the two slow older builds are not in the baseline
        assertThat(result.status()).isEqualTo(GateStatus.UNSTABLE);
        assertThat(result.messages().get(0)).contains("medians of the last 3 builds (runs " + five.get(2).id()
                + " to " + five.get(4).id() + ")");
    }

    @Test
    void aRegressionAgainstThePreviousBuildCanFailTheBuild() {
        GateResult result = new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.FAILURE)
                .evaluate(build(1, "6.1", 1500, 1510, 1505), List.of(build(0, "6.1", 1400, 1410, 1405)));

        assertThat(result.status()).isEqualTo(GateStatus.FAILURE);
        assertThat(result.messages().get(0)).startsWith("FAILURE: " + KEY).contains("previous build (run ");
    }

    @Test
    void noiseWithinTheThresholdsPasses() {
        GateResult result = new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.FAILURE)
                .evaluate(build(1, "6.1", 1402, 1396, 1408, 1399), List.of(build(0, "6.1", 1400, 1405, 1395, 1401)));

        assertThat(result.status()).isEqualTo(GateStatus.PASSED);
        assertThat(result.messages()).singleElement().asString().contains("0 regressions");
    }

    @Test
    void aSignificantChangeBelowTheThresholdsPassesAndAboveThemDoesNot() {
        Run before = build(0, "6.1", 1400, 1401, 1399, 1400);
        Run after = build(1, "6.1", 1428, 1429, 1427, 1428); // +2%, clearly significant

        assertThat(new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.UNSTABLE)
                .evaluate(after, List.of(before)).status()).isEqualTo(GateStatus.PASSED);
        assertThat(new QualityGate(BaselineChoice.PREVIOUS_BUILD, 1, 0, GateStatus.UNSTABLE)
                .evaluate(after, List.of(before)).status()).isEqualTo(GateStatus.UNSTABLE);
        // 28 s worse: within 60 s tolerated, though beyond 1%
        assertThat(new QualityGate(BaselineChoice.PREVIOUS_BUILD, 1, 60, GateStatus.UNSTABLE)
                .evaluate(after, List.of(before)).status()).isEqualTo(GateStatus.PASSED);
    }

    @Test
    void anImprovementIsNoRegression() {
        GateResult result = new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.FAILURE)
                .evaluate(build(1, "6.1", 1200, 1205, 1198), List.of(build(0, "6.1", 1400, 1410, 1405)));

        assertThat(result.status()).isEqualTo(GateStatus.PASSED);
        assertThat(result.messages()).last().asString().contains("0 regressions, 1 improvement, 0 not compared");
    }

    @Test
    void differentFingerprintsAreNotComparedAndTheGateSaysWhy() {
        GateResult result = new QualityGate(BaselineChoice.CHOSEN_BUILD, 3, 0, GateStatus.FAILURE)
                .evaluate(build(1, "6.6.8", 1800, 1810, 1805), List.of(build(0, "6.1.0-31-amd64", 1400, 1410, 1405)));

        assertThat(result.status()).isEqualTo(GateStatus.PASSED);
        assertThat(result.messages().get(0)).startsWith("not compared: " + KEY + " on l2 (1805 s)")
                .contains("different fingerprint: l0 kernel: 6.1.0-31-amd64 -> 6.6.8");
        assertThat(result.messages()).last().asString().contains("0 improvements, 1 not compared");
    }

    @Test
    void withoutABaselineTheGatePassesAndSaysSo() {
        QualityGate gate = new QualityGate(BaselineChoice.CHOSEN_BUILD, 3, 0, GateStatus.FAILURE);
        gate.setChosenBuild(12);

        GateResult result = gate.evaluate(build(0, "6.1", 1400, 1410), List.of());

        assertThat(result.status()).isEqualTo(GateStatus.PASSED);
        assertThat(result.messages()).containsExactly(
                "no chosen build #12 to compare with: quality gate passed without a comparison");
    }

    @Test
    void aMetricTheBaselineLacksIsNamed() {
        Run before = run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600, 601, 602)));
        Run after = run(1, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600, 601, 602),
                kernelBuild(Level.L2, SHADOW_ON, 1400, 1410)));

        GateResult result = new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.FAILURE)
                .evaluate(after, List.of(before));

        assertThat(result.status()).isEqualTo(GateStatus.PASSED);
        assertThat(result.messages()).contains("no baseline for " + KEY + " on l2 in previous build (run "
                + before.id() + ")");
    }

    @Test
    void oneMoreFailingKvmUnitTestIsARegression() {
        Run before = run(0, "6.1", kut(5, 1));
        Run same = run(1, "6.1", kut(5, 1));
        Run worse = run(1, "6.1", kut(4, 2));
        QualityGate gate = new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.UNSTABLE);

        GateResult unchanged = gate.evaluate(same, List.of(before));
        assertThat(unchanged.status()).isEqualTo(GateStatus.PASSED);
        assertThat(unchanged.messages()).singleElement().asString().contains("0 regressions, 0 improvements, 0 not");

        GateResult result = gate.evaluate(worse, List.of(before));
        assertThat(result.status()).isEqualTo(GateStatus.UNSTABLE);
        assertThat(result.messages().get(0)).isEqualTo("UNSTABLE: kvm-unit-tests/failed@L1 on l1: 2 tests, 1 in"
                + " previous build (run " + before.id() + ")");
    }

    @Test
    void exitRatesDoNotGate() {
        Run before = run(0, "6.1", List.of(FixtureRuns.measurement("kvm-stat", "kvm_exit(EPT_VIOLATION)", Level.L0,
                "l0", Map.of(), "1/s", io.github.nestedvirt.result.Better.LOWER, 400, 401, 402)));
        Run after = run(1, "6.1", List.of(FixtureRuns.measurement("kvm-stat", "kvm_exit(EPT_VIOLATION)", Level.L0,
                "l0", Map.of(), "1/s", io.github.nestedvirt.result.Better.LOWER, 800, 801, 802)));

        GateResult result = new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.FAILURE)
                .evaluate(after, List.of(before));

        assertThat(result.status()).isEqualTo(GateStatus.PASSED);
        assertThat(result.messages()).singleElement().asString().startsWith("compared 0 metrics with");
    }

    private static List<io.github.nestedvirt.result.Measurement> kut(int passed, int failed) {
        return List.of(FixtureRuns.measurement("kvm-unit-tests", "passed", Level.L1, "l1", Map.of(), "tests",
                        io.github.nestedvirt.result.Better.HIGHER, passed),
                FixtureRuns.measurement("kvm-unit-tests", "failed", Level.L1, "l1", Map.of(), "tests",
                        io.github.nestedvirt.result.Better.LOWER, failed));
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new QualityGate(BaselineChoice.PREVIOUS_BUILD, -1, 0, GateStatus.FAILURE))
                .hasMessage("quality gate: maxPercentWorse must be a number 0 or above, got -1.0");
        assertThatThrownBy(() -> new QualityGate(BaselineChoice.PREVIOUS_BUILD, 3, 0, GateStatus.PASSED))
                .hasMessageContaining("onRegression must be UNSTABLE or FAILURE");
        assertThatThrownBy(() -> new QualityGate(BaselineChoice.MEDIAN_OF_LAST_N, 3, 0, GateStatus.FAILURE)
                .setLastBuilds(1)).hasMessageContaining("lastBuilds must be 2 or more");
    }
}
