package io.github.nestedvirt.report;

import static io.github.nestedvirt.report.TestRuns.guestfish;
import static io.github.nestedvirt.report.TestRuns.measurement;
import static io.github.nestedvirt.report.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import edu.hm.hafner.echarts.line.LinesChartModel;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.trend.TrendChartKind;
import io.github.nestedvirt.trend.TrendCharts;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrendChartFactoryTest {

    private static final List<Run> RUNS = List.of(
            run(0, "plan", List.of(guestfish(Level.L0, 2, 3, 4), guestfish(Level.L1, 10, 12, 11))),
            // L1 missing in this run: its line must have a gap, not a 0
            run(1, "plan", List.of(guestfish(Level.L0, 3, 3, 3))),
            run(2, "plan", List.of(guestfish(Level.L0, 4, 5, 6), guestfish(Level.L1, 20, 21, 22),
                    guestfish(Level.L2, 63, 60, 66))));

    @Test
    void eachRunIsABuildNumberedInStartOrderAndLabelledWithItsId() {
        LinesChartModel model = chart("guestfish-launch / seconds: median").model();

        assertThat(model.getBuildNumbers()).containsExactly(1, 2, 3);
        assertThat(model.getDomainAxisLabels()).containsExactly("run-0", "run-1", "run-2");
    }

    @Test
    void medianChartHasOneLinePerLevelWithGapsWhereALevelWasNotMeasured() {
        Map<String, List<Double>> lines = TrendChartFactory.seriesByName(
                chart("guestfish-launch / seconds: median").model());

        assertThat(lines.keySet()).containsExactly("L0", "L1", "L2");
        assertThat(lines.get("L0")).containsExactly(3.0, 3.0, 5.0);
        assertThat(lines.get("L1")).containsExactly(11.0, null, 21.0);
        assertThat(lines.get("L2")).containsExactly(null, null, 63.0);
    }

    @Test
    void ratioChartDividesMediansByTheLevelBelowWhenBothWereMeasured() {
        LinesChartModel model = chart("guestfish-launch / seconds: ratio of medians to the level below").model();
        Map<String, List<Double>> lines = TrendChartFactory.seriesByName(model);

        // run-1 has no pair of levels: like a build without results, it is left out of this chart
        assertThat(model.getDomainAxisLabels()).containsExactly("run-0", "run-2");
        assertThat(lines.keySet()).containsExactly("L1/L0", "L2/L1");
        assertThat(lines.get("L1/L0").get(0)).isCloseTo(11.0 / 3.0, within(1e-6));
        assertThat(lines.get("L1/L0").get(1)).isCloseTo(21.0 / 5.0, within(1e-6));
        assertThat(lines.get("L2/L1")).containsExactly(null, 3.0);
    }

    @Test
    void variantsAreSeparateLinesAndCompareWithTheBareLevelBelow() {
        Map<String, String> shadowOff = Map.of("shadowVmcs", "off");
        Map<String, String> shadowOn = Map.of("shadowVmcs", "on");
        List<Run> runs = List.of(run(0, "plan", List.of(
                measurement("kernel-build", "seconds", Level.L0, Map.of(), "s", Better.LOWER, 100, 100),
                measurement("kernel-build", "seconds", Level.L1, shadowOff, "s", Better.LOWER, 300, 300),
                measurement("kernel-build", "seconds", Level.L1, shadowOn, "s", Better.LOWER, 200, 200))));

        List<TrendChart> charts = TrendChartFactory.charts(runs);

        assertThat(TrendChartFactory.seriesByName(charts.get(0).model()))
                .containsOnlyKeys("L0", "L1 shadowVmcs=off", "L1 shadowVmcs=on");
        assertThat(TrendChartFactory.seriesByName(charts.get(1).model()))
                .containsEntry("L1/L0 shadowVmcs=off", List.of(3.0))
                .containsEntry("L1/L0 shadowVmcs=on", List.of(2.0));
        assertThat(charts.get(0).unit()).isEqualTo("s");
    }

    @Test
    void noRatioChartWithoutTwoAdjacentLevels() {
        List<TrendChart> charts = TrendChartFactory.charts(List.of(run(0, "plan", List.of(guestfish(Level.L0, 1, 2)))));

        assertThat(charts).extracting(TrendChart::title).containsExactly("guestfish-launch / seconds: median");
    }

    @Test
    void everyRunCountsEvenBeyondTheLibrarysDefaultOfFiftyBuilds() {
        List<Run> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            runs.add(run(i, "plan", List.of(guestfish(Level.L0, i))));
        }

        LinesChartModel model = TrendChartFactory.charts(runs).get(0).model();

        assertThat(model.getBuildNumbers()).hasSize(120);
        assertThat(model.getSeries().get(0).getData().get(119)).isEqualTo(119.0);
    }

    @Test
    void theReportDrawsTheSameLinesAsTheJenkinsChartOfTheSameMetric() {
        LinesChartModel report = chart("guestfish-launch / seconds: median").model();
        LinesChartModel jenkins = TrendCharts.create(TrendChartKind.GUESTFISH, TrendChartFactory.asBuilds(RUNS),
                new edu.hm.hafner.echarts.ChartModelConfiguration());

        assertThat(TrendCharts.seriesByName(jenkins)).isEqualTo(TrendCharts.seriesByName(report));
        assertThat(jenkins.getBuildNumbers()).isEqualTo(report.getBuildNumbers());
    }

    private static TrendChart chart(String title) {
        return TrendChartFactory.charts(RUNS).stream().filter(c -> c.title().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no chart " + title + " in "
                        + Arrays.toString(TrendChartFactory.charts(RUNS).stream().map(TrendChart::title).toArray())));
    }
}
