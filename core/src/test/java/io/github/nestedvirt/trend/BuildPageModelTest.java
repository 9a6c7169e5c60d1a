package io.github.nestedvirt.trend;

import static io.github.nestedvirt.trend.FixtureRuns.kernelBuild;
import static io.github.nestedvirt.trend.FixtureRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.kvmstat.KvmStatCapture;
import io.github.nestedvirt.kvmstat.KvmStatOutput;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildPageModelTest {

    private static final Run RECORDED = FixtureRuns.recorded();
    private static final BuildPageModel PAGE = BuildPageModel.of(RECORDED);

    @Test
    void everyMeasurementHasItsCountMedianAndInterval() {
        assertThat(PAGE.getMeasurements()).hasSize(RECORDED.measurements().size());
        MeasurementView guestfish = PAGE.getMeasurements().get(0);

        assertThat(guestfish.getKey()).isEqualTo("guestfish-launch/seconds@L0");
        assertThat(guestfish.getN()).isEqualTo(9);
        assertThat(guestfish.getWarmups()).isEqualTo(1);
        assertThat(guestfish.getMedian()).isEqualTo("2.705");
        assertThat(guestfish.getInterval()).matches("2\\.6\\d+ – 2\\.7\\d+");
        assertThat(guestfish.getLowValue()).isLessThan(2.705);
        assertThat(guestfish.getUnit()).isEqualTo("s");
        assertThat(guestfish.getChange()).isEmpty();
        assertThat(PAGE.getMeasurements()).filteredOn(row -> row.getBenchmark().equals("kernel-build"))
                .allSatisfy(row -> assertThat(row.getAccelerator()).isEqualTo("tcg"));
        assertThat(PAGE.isComparedWithPrevious()).isFalse();
        assertThat(PAGE.getFailures()).containsExactly(
                "network-throughput@L2: guest l2 unreachable over SSH after 300 s");
        assertThat(PAGE.getDuration()).isEqualTo("2 h 00 min");
    }

    @Test
    void aRunMeasuredOnThisMachineShowsHowItRan() {
        BuildPageModel page = BuildPageModel.of(FixtureRuns.measuredHere());

        assertThat(page.getMeasurements()).extracting(MeasurementView::getBenchmark, MeasurementView::getN,
                MeasurementView::getWarmups).containsExactly(tuple("guestfish-launch", 3, 1), tuple("io-scan", 3, 1),
                tuple("io-scan", 3, 1));
        MeasurementView guestfish = page.getMeasurements().get(0);
        // the appliance ran under TCG here: KVM is unusable on this machine
        assertThat(guestfish.getAccelerator()).isEqualTo("tcg");
        assertThat(guestfish.getVariant()).isEqualTo("backend=direct, backendSettings=force_tcg");
        assertThat(guestfish.getInterval()).contains(" – ");
        assertThat(guestfish.getLowValue()).isLessThan(guestfish.getMedianValue());
        assertThat(page.getLevelRatios()).isEmpty();
        assertThat(page.getPlan()).isEqualTo("trend-fixture");
    }

    @Test
    void levelRatiosCompareEachLevelWithTheOneBelow() {
        assertThat(PAGE.getLevelRatios()).extracting(RatioView::getLabel, RatioView::getRatio)
                .contains(tuple("guestfish-launch/seconds L1/L0 (l1 over l0)", "1"),
                        // the fixture's kernel builds ran under TCG on both levels: said in the label
                        tuple("kernel-build/seconds L2/L1 mmu=ept-on-ept,shadowVmcs=on (l2 over l1)"
                                + " [TCG: L2 tcg, L1 tcg; emulation, not a nesting figure]", "2.331"));
        RatioView l2 = PAGE.getLevelRatios().stream().filter(r -> r.getLabel().startsWith("kernel-build"))
                .findFirst().orElseThrow();
        assertThat(l2.getLowValue()).isLessThan(l2.getRatioValue());
        assertThat(l2.getHighValue()).isGreaterThan(l2.getRatioValue());
        assertThat(l2.getSignificant()).isEqualTo("yes");
    }

    @Test
    void vmcsShadowingAndMmuModesSideBySide() {
        // 1923.3 s without shadow VMCS over 1410 s with it, both ept-on-ept
        assertThat(PAGE.getVmcsShadowing()).singleElement().satisfies(row -> {
            assertThat(row.getLabel()).isEqualTo("kernel-build/seconds@L2 shadowVmcs off/on mmu=ept-on-ept (l2)");
            assertThat(row.getRatio()).isEqualTo("1.364");
            assertThat(row.getNumerator()).isEqualTo("kernel-build/seconds@L2,mmu=ept-on-ept,shadowVmcs=off");
            assertThat(row.getDenominator()).isEqualTo("kernel-build/seconds@L2,mmu=ept-on-ept,shadowVmcs=on");
        });
        assertThat(PAGE.getMmuModes()).singleElement().satisfies(row -> {
            assertThat(row.getLabel())
                    .isEqualTo("kernel-build/seconds@L2 mmu shadow-on-ept/ept-on-ept shadowVmcs=on (l2)");
            assertThat(row.getRatio()).isEqualTo("1.79");
        });
    }

    @Test
    void exitRatesByReasonFromKvmStatMostFrequentFirst() {
        List<ExitRateView> exits = PAGE.getExitRates();

        // kvm_stat's log: 7 exit reasons and the 2 nested events; kvm_entry, kvm_exit and
        // kvm_userspace_exit are not reasons
        assertThat(exits).extracting(ExitRateView::getEvent).containsExactly("MSR_WRITE", "EPT_VIOLATION",
                "EXTERNAL_INTERRUPT", "kvm_nested_vmexit", "kvm_nested_vmexit_inject", "HLT", "EPT_MISCONFIG",
                "VMREAD", "VMRESUME");
        // 2106 to 2109 MSR writes per 3 s interval
        assertThat(exits.get(0).getPerSecondValue()).isBetween(2106 / 3.0, 2109 / 3.0);
        assertThat(exits.get(0).getHost()).isEqualTo("l0");
        assertThat(exits.get(0).getN()).isGreaterThan(1);
        assertThat(exits.get(0).getInterval()).matches("70\\d\\.?\\d* – 70\\d\\.?\\d*");
        assertThat(exits.get(0).getDuring()).isEmpty();
    }

    @Test
    void exitRatesCountedWhileAMeasurementRanAreShownWithIt() throws IOException {
        KvmStatCapture capture = KvmStatOutput.parseLog("log.txt", resource("/io/github/nestedvirt/kvmstat/log.txt"),
                null);
        HypervisorExits underL1 = new HypervisorExits(Level.L0, "l0", "kvm_stat", 12, capture.perSecond(), List.of());
        HypervisorExits notCaptured = HypervisorExits.unavailable(Level.L0, "l0-other", List.of("kvm_stat: not found"));
        Measurement build = kernelBuild(Level.L1, Map.of(), 600, 610, 605).withKvmStat(List.of(underL1, notCaptured));

        List<ExitRateView> exits = BuildPageModel.of(run(0, "6.1", List.of(build))).getExitRates();

        assertThat(exits).extracting(ExitRateView::getEvent).containsExactly("MSR_WRITE", "EPT_VIOLATION",
                "EXTERNAL_INTERRUPT", "kvm_nested_vmexit", "kvm_nested_vmexit_inject", "HLT", "EPT_MISCONFIG",
                "VMREAD", "VMRESUME");
        ExitRateView busiest = exits.get(0);
        assertThat(busiest.getDuring()).isEqualTo("kernel-build/seconds@L1");
        assertThat(busiest.getLevel()).isEqualTo("L0");
        assertThat(busiest.getHost()).isEqualTo("l0");
        assertThat(busiest.getPerSecondValue()).isEqualTo(capture.perSecond().get("kvm_exit(MSR_WRITE)"));
        // only the mean over the measurement is stored with it: no interval, said so
        assertThat(busiest.getN()).isZero();
        assertThat(busiest.getInterval()).isEqualTo("–");
    }

    @Test
    void ownCapturesComeBeforeTheCountsTakenDuringMeasurements() {
        Measurement build = kernelBuild(Level.L2, Map.of(), 1400, 1420).withKvmStat(List.of(new HypervisorExits(
                Level.L1, "l1", "kvm_stat", 10, Map.of("kvm_exit(VMREAD)", 50.0, "kvm_exit", 80.0), List.of())));
        List<Measurement> measurements = new ArrayList<>(RECORDED.measurements());
        measurements.add(build);

        List<ExitRateView> exits = BuildPageModel.of(run(0, "6.1", measurements)).getExitRates();

        assertThat(exits).hasSize(PAGE.getExitRates().size() + 1);
        assertThat(exits.get(exits.size() - 1)).extracting(ExitRateView::getDuring, ExitRateView::getHost,
                ExitRateView::getEvent, ExitRateView::getPerSecond).containsExactly("kernel-build/seconds@L2", "l1",
                        "VMREAD", "50");
    }

    @Test
    void thePageWritesThroughTheResultMapperWithEveryTable() throws IOException {
        Measurement build = kernelBuild(Level.L1, Map.of(), 600, 610, 605).withKvmStat(List.of(new HypervisorExits(
                Level.L0, "l0", "kvm_stat", 10, Map.of("kvm_exit(EPT_VIOLATION)", 1520.0), List.of())));
        List<Measurement> measurements = new ArrayList<>(RECORDED.measurements());
        measurements.add(build);
        BuildPageModel page = BuildPageModel.of(run(1, "6.1", measurements), RECORDED);

        JsonNode tree = ResultJson.mapper().readTree(ResultJson.mapper().writeValueAsString(page));

        assertThat(tree.get("runId").asText()).isEqualTo(page.getRunId());
        assertThat(tree.get("measurements")).hasSize(measurements.size());
        assertThat(tree.get("measurements").get(0).get("key").asText()).isEqualTo("guestfish-launch/seconds@L0");
        assertThat(tree.get("levelRatios")).hasSameSizeAs(page.getLevelRatios()).isNotEmpty();
        assertThat(tree.get("vmcsShadowing")).hasSameSizeAs(page.getVmcsShadowing()).isNotEmpty();
        assertThat(tree.get("mmuModes")).hasSameSizeAs(page.getMmuModes()).isNotEmpty();
        assertThat(tree.get("kvmUnitTests")).hasSameSizeAs(page.getKvmUnitTests()).isNotEmpty();
        assertThat(tree.get("kutTests")).hasSameSizeAs(page.getKutTests()).isNotEmpty();
        JsonNode during = tree.get("exitRates").get(tree.get("exitRates").size() - 1);
        assertThat(during.get("during").asText()).isEqualTo("kernel-build/seconds@L1");
        assertThat(during.get("event").asText()).isEqualTo("EPT_VIOLATION");
        assertThat(during.get("perSecond").asText()).isEqualTo("1520");
        assertThat(during.get("perSecondValue").asDouble()).isEqualTo(1520.0);
        assertThat(tree.get("previousRunId").asText()).isEqualTo(RECORDED.id());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BuildPageModelTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void exitsByReasonAreTheReasonsOfKvmExitAndTheNestedEvents() {
        assertThat(ExitRateView.event("kvm_exit(EPT_VIOLATION)")).isEqualTo("EPT_VIOLATION");
        assertThat(ExitRateView.event("kvm_nested_vmexit_inject")).isEqualTo("kvm_nested_vmexit_inject");
        assertThat(ExitRateView.event("kvm_exit")).isNull();
        assertThat(ExitRateView.event("kvm_entry")).isNull();
    }

    @Test
    void kvmUnitTestsCountsAndWhatDidNotPass() {
        assertThat(PAGE.getKvmUnitTests()).singleElement().satisfies(kut -> {
            assertThat(kut.getLevel()).isEqualTo("L1");
            assertThat(kut.getHost()).isEqualTo("l1");
            assertThat(List.of(kut.getPassed(), kut.getFailed(), kut.getSkipped(), kut.getTimeouts()))
                    .containsExactly(5, 2, 3, 1);
        });
        assertThat(PAGE.getKutTests()).extracting(KutTestView::getName, KutTestView::getStatus)
                .containsExactlyInAnyOrder(tuple("vmx_apic_passthrough_thread", "FAIL"), tuple("hyperv_clock", "FAIL"),
                        tuple("pmu", "SKIP"), tuple("vmx", "SKIP"), tuple("svm", "SKIP"),
                        tuple("vmx_pf_exception_test", "TIMEOUT"));
        assertThat(PAGE.getKutTests()).filteredOn(test -> test.getName().equals("vmx")).singleElement()
                .extracting(KutTestView::getDetail).isEqualTo("/sys/module/kvm_intel/parameters/nested not equal to Y");
    }

    @Test
    void withThePreviousBuildEachMeasurementSaysHowItChanged() {
        Run before = run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600, 602, 604)));
        Run after = run(1, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 660, 662, 664)));

        BuildPageModel page = BuildPageModel.of(after, before);

        assertThat(page.isComparedWithPrevious()).isTrue();
        assertThat(page.getPreviousRunId()).isEqualTo(before.id());
        assertThat(page.getMeasurements()).singleElement().satisfies(row -> {
            assertThat(row.getChange()).isEqualTo("+10.0%"); // 662 over 602
            assertThat(row.getVerdict()).isEqualTo("REGRESSION");
        });
    }

    @Test
    void otherHostsAreShownNotJudged() {
        Run before = run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600, 602, 604)));
        Run after = run(1, "6.6", List.of(kernelBuild(Level.L1, Map.of(), 660, 662, 664)));

        BuildPageModel page = BuildPageModel.of(after, before);

        assertThat(page.getFingerprintDifferences()).contains("l0 kernel: 6.1 -> 6.6");
        assertThat(page.getMeasurements().get(0).getVerdict()).isEqualTo("NOT_COMPARABLE");
        assertThat(page.getMeasurements().get(0).getVerdictReason()).contains("different fingerprint");
    }

    @Test
    void aRunWithoutTheseBenchmarksHasEmptyLists() {
        BuildPageModel page = BuildPageModel.of(run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600))));

        assertThat(page.getExitRates()).isEmpty();
        assertThat(page.getKvmUnitTests()).isEmpty();
        assertThat(page.getKutTests()).isEmpty();
        assertThat(page.getVmcsShadowing()).isEmpty();
        assertThat(page.getMmuModes()).isEmpty();
        assertThat(page.getLevelRatios()).isEmpty();
        // a single sample: no interval, said so rather than 0
        assertThat(page.getMeasurements().get(0).getInterval()).isEqualTo("–");
    }
}
