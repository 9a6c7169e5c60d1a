package io.github.nestedvirt.trend;

import static io.github.nestedvirt.trend.FixtureRuns.kernelBuild;
import static io.github.nestedvirt.trend.FixtureRuns.measurement;
import static io.github.nestedvirt.trend.FixtureRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import edu.hm.hafner.echarts.Build;
import edu.hm.hafner.echarts.BuildResult;
import edu.hm.hafner.echarts.ChartModelConfiguration;
import edu.hm.hafner.echarts.ChartModelConfiguration.AxisType;
import edu.hm.hafner.echarts.line.LinesChartModel;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrendChartsTest {

    private static final Map<String, String> SHADOW_ON = Map.of("shadowVmcs", "on");
    private static final Map<String, String> SHADOW_OFF = Map.of("shadowVmcs", "off");
    private static final ChartModelConfiguration DEFAULT = new ChartModelConfiguration();

    @Test
    void kernelBuildChartHasALinePerLevelAndVariantWithEachBuildsMedian() {
        List<BuildResult<BuildSummary>> history = history(
                run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600, 602, 604),
                        kernelBuild(Level.L2, SHADOW_ON, 1400, 1410, 1450))),
                run(1, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 610, 611, 612),
                        kernelBuild(Level.L2, SHADOW_ON, 1500, 1520, 1510))));

        LinesChartModel model = TrendCharts.create(TrendChartKind.KERNEL_BUILD, history, DEFAULT);

        assertThat(model.getBuildNumbers()).containsExactly(1, 2);
        assertThat(model.getDomainAxisLabels()).containsExactly("#1", "#2");
        assertThat(TrendCharts.seriesByName(model))
                .containsOnlyKeys("L1", "L2 shadowVmcs=on")
                .containsEntry("L1", List.of(602.0, 611.0))
                .containsEntry("L2 shadowVmcs=on", List.of(1410.0, 1510.0));
    }

    @Test
    void vmcsAndMmuChartsShowOnlyTheBuildsThatRanWithThatSetting() {
        Run run = FixtureRuns.recorded();
        List<BuildResult<BuildSummary>> history = history(run);

        assertThat(TrendCharts.seriesByName(TrendCharts.create(TrendChartKind.VMCS_SHADOWING, history, DEFAULT)))
                .containsOnlyKeys("L2 mmu=ept-on-ept, shadowVmcs=off", "L2 mmu=ept-on-ept, shadowVmcs=on",
                        "L2 mmu=shadow-on-ept, shadowVmcs=on")
                .containsEntry("L2 mmu=ept-on-ept, shadowVmcs=off", List.of(1920.0))
                .containsEntry("L2 mmu=ept-on-ept, shadowVmcs=on", List.of(1410.0));
        assertThat(TrendCharts.seriesByName(TrendCharts.create(TrendChartKind.MMU_MODES, history, DEFAULT)))
                .containsEntry("L2 mmu=shadow-on-ept, shadowVmcs=on", List.of(2520.0))
                .doesNotContainKey("L1");
    }

    @Test
    void guestfishChartComparesL0AndL1() {
        LinesChartModel model = TrendCharts.create(TrendChartKind.GUESTFISH, history(FixtureRuns.recorded()), DEFAULT);

        assertThat(TrendCharts.seriesByName(model)).containsEntry("L0", List.of(2.705)).containsEntry("L1",
                List.of(2.705));
    }

    @Test
    void kvmUnitTestsChartCountsTestsByOutcome() {
        LinesChartModel model = TrendCharts.create(TrendChartKind.KVM_UNIT_TESTS, history(FixtureRuns.recorded()),
                DEFAULT);

        assertThat(TrendCharts.seriesByName(model)).containsEntry("passed", List.of(5.0))
                .containsEntry("failed", List.of(2.0)).containsEntry("skipped", List.of(3.0))
                .containsEntry("timed out", List.of(1.0));
        assertThat(model.isIntegerRangeAxis()).isTrue();
    }

    @Test
    void ioAndNetworkChartsFollowThroughputs() {
        Measurement io = measurement("io-scan", "throughput", Level.L2, "l2", Map.of(), "MB/s", Better.HIGHER,
                210, 220, 230);
        Measurement ioSeconds = measurement("io-scan", "seconds", Level.L2, "l2", Map.of(), "s", Better.LOWER, 9, 9);
        Measurement net = measurement("network-throughput", "throughput", Level.L1, "l1",
                Map.of("tool", "iperf3", "test", "stream"), "Mbit/s", Better.HIGHER, 2400, 2500);
        // another unit never shares a chart's axis
        Measurement otherUnit = measurement("network-throughput", "throughput", Level.L2, "l2",
                Map.of("tool", "iperf3", "test", "stream"), "Gbit/s", Better.HIGHER, 2.4, 2.5);
        List<BuildResult<BuildSummary>> history = history(run(0, "6.1", List.of(io, ioSeconds, net, otherUnit)));

        assertThat(TrendCharts.seriesByName(TrendCharts.create(TrendChartKind.IO, history, DEFAULT)))
                .containsExactly(Map.entry("L2", List.of(220.0)));
        assertThat(TrendCharts.seriesByName(TrendCharts.create(TrendChartKind.NETWORK, history, DEFAULT)))
                .containsExactly(Map.entry("L1 test=stream, tool=iperf3", List.of(2450.0)));
    }

    @Test
    void guestfishAndIoChartsOfARunMeasuredOnThisMachine() {
        Run measured = FixtureRuns.measuredHere();
        List<BuildResult<BuildSummary>> history = history(measured);
        BuildSummary summary = BuildSummary.of(measured);

        Map<String, List<Double>> guestfish = TrendCharts.seriesByName(
                TrendCharts.create(TrendChartKind.GUESTFISH, history, DEFAULT));
        assertThat(guestfish).containsOnlyKeys("L0 backend=direct, backendSettings=force_tcg");
        // charts keep 6 decimals
        assertThat(guestfish.get("L0 backend=direct, backendSettings=force_tcg")).hasSize(1);
        assertThat(guestfish.get("L0 backend=direct, backendSettings=force_tcg").get(0)).isEqualTo(
                summary.metric("guestfish-launch/seconds@L0,backend=direct,backendSettings=force_tcg").orElseThrow()
                        .getMedian(), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(TrendCharts.create(TrendChartKind.IO, history, DEFAULT).getSeries()).singleElement()
                .satisfies(line -> assertThat(line.getData().get(0)).isEqualTo(summary.metric(
                        "io-scan/throughput@L0,dropCaches=false,paths=/usr/share/doc,xdev=true").orElseThrow()
                        .getMedian(), org.assertj.core.api.Assertions.within(1e-6)));
    }

    @Test
    void aMissingMetricIsAGapAndFailedBuildsAreLeftOut() {
        List<BuildResult<BuildSummary>> history = new ArrayList<>();
        // newest first: #5 measured both, #4 failed before any result, #3 has no kernel build,
        // #2 measured only L1, #1 measured both
        history.add(build(5, run(4, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 620, 620),
                kernelBuild(Level.L2, SHADOW_ON, 1600, 1600)))));
        history.add(new BuildResult<>(new Build(4, "#4", 0), null));
        history.add(build(3, run(2, "6.1", List.of(measurement("guestfish-launch", "seconds", Level.L0, "l0",
                Map.of(), "s", Better.LOWER, 3, 3)))));
        history.add(build(2, run(1, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 610, 610)))));
        history.add(build(1, run(0, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600, 600),
                kernelBuild(Level.L2, SHADOW_ON, 1400, 1400)))));

        LinesChartModel model = TrendCharts.create(TrendChartKind.KERNEL_BUILD, history, DEFAULT);

        assertThat(model.getBuildNumbers()).containsExactly(1, 2, 5);
        assertThat(TrendCharts.seriesByName(model))
                .containsEntry("L1", List.of(600.0, 610.0, 620.0))
                .containsEntry("L2 shadowVmcs=on", Arrays.asList(1400.0, null, 1600.0));
        assertThat(TrendCharts.create(TrendChartKind.KVM_UNIT_TESTS, history, DEFAULT).getSeries()).isEmpty();
    }

    @Test
    void fiftyBuildsByDefaultAndWhatTheConfigurationAsks() {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            runs.add(run(i, "6.1", List.of(kernelBuild(Level.L1, Map.of(), 600 + i, 600 + i))));
        }
        List<BuildResult<BuildSummary>> history = history(runs.toArray(Run[]::new));

        LinesChartModel byDefault = TrendCharts.create(TrendChartKind.KERNEL_BUILD, history, DEFAULT);
        assertThat(byDefault.getBuildNumbers()).hasSize(50).startsWith(11).endsWith(60);
        assertThat(byDefault.getSeries().get(0).getData()).startsWith(610.0).endsWith(659.0);

        LinesChartModel ten = TrendCharts.create(TrendChartKind.KERNEL_BUILD, history,
                ChartModelConfiguration.fromJson("{\"numberOfBuilds\": 10, \"numberOfDays\": 0, "
                        + "\"buildAsDomain\": true}"));
        assertThat(ten.getBuildNumbers()).containsExactly(51, 52, 53, 54, 55, 56, 57, 58, 59, 60);
    }

    @Test
    void perDayAverageCountsOnlyTheBuildsThatMeasured() {
        long day = 86_400;
        List<BuildResult<BuildSummary>> history = List.of(
                new BuildResult<>(new Build(3, "#3", (int) (20_000 * day + 7200)), BuildSummary.of(run(2, "6.1",
                        List.of(kernelBuild(Level.L1, Map.of(), 700, 700))))),
                new BuildResult<>(new Build(2, "#2", (int) (20_000 * day + 3600)), BuildSummary.of(run(1, "6.1",
                        List.of(measurement("guestfish-launch", "seconds", Level.L0, "l0", Map.of(), "s",
                                Better.LOWER, 3, 3))))),
                new BuildResult<>(new Build(1, "#1", (int) (19_999 * day)), BuildSummary.of(run(0, "6.1",
                        List.of(kernelBuild(Level.L1, Map.of(), 600, 600))))));

        LinesChartModel model = TrendCharts.create(TrendChartKind.KERNEL_BUILD, history,
                new ChartModelConfiguration(AxisType.DATE));

        // the day of #2 and #3 averages #3 alone: #2 has no kernel build, not a build of 0 s
        assertThat(TrendCharts.seriesByName(model)).containsEntry("L1", List.of(600.0, 700.0));
    }

    @Test
    void kindsHaveStableIdsAndTitles() {
        assertThat(Arrays.stream(TrendChartKind.values()).map(TrendChartKind::getId)).containsExactly(
                "kernel-build", "vmcs-shadowing", "mmu-modes", "guestfish", "io", "network", "kvm-unit-tests");
        assertThat(TrendChartKind.fromId("mmu-modes")).isEqualTo(TrendChartKind.MMU_MODES);
        assertThat(TrendChartKind.MMU_MODES.getTitle()).isEqualTo("Kernel build time per MMU mode");
        assertThatThrownBy(() -> TrendChartKind.fromId("kernel"))
                .hasMessageContaining("no chart 'kernel'").hasMessageContaining("kernel-build");
    }

    /** Builds numbered 1..n in the order given, newest first as Jenkins hands them. */
    static List<BuildResult<BuildSummary>> history(Run... oldestFirst) {
        List<BuildResult<BuildSummary>> history = new ArrayList<>();
        for (int i = oldestFirst.length - 1; i >= 0; i--) {
            history.add(build(i + 1, oldestFirst[i]));
        }
        return history;
    }

    private static BuildResult<BuildSummary> build(int number, Run run) {
        return new BuildResult<>(new Build(number, "#" + number, (int) run.start().getEpochSecond()),
                BuildSummary.of(run));
    }
}
