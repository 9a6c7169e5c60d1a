package io.github.nestedvirt.report;

import edu.hm.hafner.echarts.Build;
import edu.hm.hafner.echarts.BuildResult;
import edu.hm.hafner.echarts.ChartModelConfiguration;
import edu.hm.hafner.echarts.ChartModelConfiguration.AxisType;
import edu.hm.hafner.echarts.line.LinesChartModel;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.trend.BuildSummary;
import io.github.nestedvirt.trend.LevelRatioSeriesBuilder;
import io.github.nestedvirt.trend.MedianSeriesBuilder;
import io.github.nestedvirt.trend.MetricSummary;
import io.github.nestedvirt.trend.SummarySeriesBuilder;
import io.github.nestedvirt.trend.TrendCharts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns runs into the report's trend charts: each run is a build (number = position 1..N in start
 * order, display name = run id), summarized first exactly as a Jenkins build is, then one chart of
 * medians and one of level ratios per benchmark metric, drawn by {@link TrendCharts}.
 */
public final class TrendChartFactory {

    private TrendChartFactory() {
    }

    /** The runs' summaries as builds, newest first, as the series builders expect them. */
    public static List<BuildResult<BuildSummary>> asBuilds(List<Run> runsByStart) {
        List<BuildResult<BuildSummary>> builds = new ArrayList<>(runsByStart.size());
        for (int i = runsByStart.size() - 1; i >= 0; i--) {
            Run run = runsByStart.get(i);
            long epochSecond = run.start() == null ? 0 : run.start().getEpochSecond();
            builds.add(new BuildResult<>(new Build(i + 1, String.valueOf(run.id()),
                    (int) Math.max(0, Math.min(Integer.MAX_VALUE, epochSecond))), BuildSummary.of(run)));
        }
        return builds;
    }

    /**
     * Every chart for these runs: per benchmark and metric (sorted), the medians, then the level
     * ratios when any run has two adjacent levels.
     */
    public static List<TrendChart> charts(List<Run> runsByStart) {
        List<BuildResult<BuildSummary>> builds = asBuilds(runsByStart);
        Map<String, String[]> metrics = new TreeMap<>();
        // oldest first, so that the latest unit wins should a benchmark ever change its unit
        for (int i = builds.size() - 1; i >= 0; i--) {
            for (MetricSummary metric : builds.get(i).getResult().getMetrics()) {
                metrics.put(metric.getBenchmark() + "\u0000" + metric.getMetric(),
                        new String[] {metric.getBenchmark(), metric.getMetric(), metric.getUnit()});
            }
        }
        List<TrendChart> charts = new ArrayList<>();
        for (String[] metric : metrics.values()) {
            addIfNotEmpty(charts, MedianSeriesBuilder.perLevelAndVariant(metric[0], metric[1], metric[2]), builds);
            addIfNotEmpty(charts, new LevelRatioSeriesBuilder(metric[0], metric[1]), builds);
        }
        return charts;
    }

    private static void addIfNotEmpty(List<TrendChart> charts, SummarySeriesBuilder builder,
            List<BuildResult<BuildSummary>> builds) {
        // every run counts, not only the library's default of the last 50
        LinesChartModel model = TrendCharts.model(builder, builds,
                new ChartModelConfiguration(AxisType.BUILD, Math.max(2, builds.size()), 0), "Run");
        if (!model.getSeries().isEmpty()) {
            charts.add(new TrendChart("chart-" + (charts.size() + 1), builder.title(), builder.unit(), model));
        }
    }

    /** The series of a model by name, for callers that check figures. */
    static Map<String, List<Double>> seriesByName(LinesChartModel model) {
        return TrendCharts.seriesByName(model);
    }
}
