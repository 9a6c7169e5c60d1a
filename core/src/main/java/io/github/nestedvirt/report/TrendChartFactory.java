package io.github.nestedvirt.report;

import edu.hm.hafner.echarts.Build;
import edu.hm.hafner.echarts.BuildResult;
import edu.hm.hafner.echarts.ChartModelConfiguration;
import edu.hm.hafner.echarts.ChartModelConfiguration.AxisType;
import edu.hm.hafner.echarts.Palette;
import edu.hm.hafner.echarts.line.LineSeries;
import edu.hm.hafner.echarts.line.LineSeries.FilledMode;
import edu.hm.hafner.echarts.line.LineSeries.StackedMode;
import edu.hm.hafner.echarts.line.LinesChartModel;
import edu.hm.hafner.echarts.line.LinesDataSet;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns runs into trend charts: each run is a build (number = position 1..N in start order, display
 * name = run id), one chart of medians and one of level ratios per benchmark metric.
 */
public final class TrendChartFactory {

    /** Benchmark figures range from microseconds to thousands of MB/s: keep enough decimals. */
    private static final int DECIMALS = 6;

    /** The library's palette starts with yellow, hard to see on white: strong colors first. */
    private static final List<Palette> COLORS = List.of(Palette.BLUE, Palette.ORANGE, Palette.GREEN, Palette.PURPLE,
            Palette.RED, Palette.TEAL, Palette.BROWN, Palette.INDIGO, Palette.GRAY, Palette.LIME, Palette.YELLOW);

    private TrendChartFactory() {
    }

    /** The runs as builds, newest first, as the series builders expect them. */
    public static List<BuildResult<Run>> asBuilds(List<Run> runsByStart) {
        List<BuildResult<Run>> builds = new ArrayList<>(runsByStart.size());
        for (int i = runsByStart.size() - 1; i >= 0; i--) {
            Run run = runsByStart.get(i);
            long epochSecond = run.start() == null ? 0 : run.start().getEpochSecond();
            builds.add(new BuildResult<>(new Build(i + 1, String.valueOf(run.id()),
                    (int) Math.max(0, Math.min(Integer.MAX_VALUE, epochSecond))), run));
        }
        return builds;
    }

    /**
     * Every chart for these runs: per benchmark and metric (sorted), the medians, then the level
     * ratios when any run has two adjacent levels.
     */
    public static List<TrendChart> charts(List<Run> runsByStart) {
        List<BuildResult<Run>> builds = asBuilds(runsByStart);
        Map<String, String[]> metrics = new TreeMap<>();
        for (Run run : runsByStart) {
            for (Measurement measurement : run.measurements()) {
                if (measurement.benchmark() != null && measurement.metric() != null) {
                    // the latest unit wins, should a benchmark ever change its unit
                    metrics.put(measurement.benchmark() + "\u0000" + measurement.metric(),
                            new String[] {measurement.benchmark(), measurement.metric(), measurement.unit()});
                }
            }
        }
        List<TrendChart> charts = new ArrayList<>();
        for (String[] metric : metrics.values()) {
            addIfNotEmpty(charts, new MedianSeriesBuilder(metric[0], metric[1], metric[2]), builds);
            addIfNotEmpty(charts, new LevelRatioSeriesBuilder(metric[0], metric[1]), builds);
        }
        return charts;
    }

    private static void addIfNotEmpty(List<TrendChart> charts, RunSeriesBuilder builder, List<BuildResult<Run>> builds) {
        LinesChartModel model = model(builder, builds);
        if (!model.getSeries().isEmpty()) {
            charts.add(new TrendChart("chart-" + (charts.size() + 1), builder.title(), builder.unit(), model));
        }
    }

    /**
     * The chart model of one builder over every build (newest first). Where a run lacks a series the
     * value is null (a gap), not the 0 the library fills in.
     */
    public static LinesChartModel model(RunSeriesBuilder builder, List<BuildResult<Run>> newestFirst) {
        LinesDataSet dataSet = builder.createDataSet(
                new ChartModelConfiguration(AxisType.BUILD, Math.max(2, newestFirst.size()), 0), newestFirst);
        dataSet.setDecimals(DECIMALS);
        Map<Integer, Map<String, Double>> present = new HashMap<>();
        for (BuildResult<Run> build : newestFirst) {
            present.put(build.getBuild().getNumber(), builder.seriesOf(build.getResult()));
        }
        LinesChartModel model = new LinesChartModel(dataSet);
        model.setDomainAxisItemName("Run");
        model.useContinuousRangeAxis();
        List<Integer> buildNumbers = dataSet.getBuildNumbers();
        int color = 0;
        for (String id : new TreeSet<>(dataSet.getDataSetIds())) {
            List<Double> values = dataSet.getSeries(id);
            List<Double> withGaps = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                boolean measured = present.getOrDefault(buildNumbers.get(i), Map.of()).containsKey(id);
                withGaps.add(measured ? values.get(i) : null);
            }
            model.addSeries(new LineSeries(id, COLORS.get(color++ % COLORS.size()).getNormal(),
                    StackedMode.SEPARATE_LINES, FilledMode.LINES, withGaps));
        }
        return model;
    }

    /** The series of a model by name, for callers that check figures. */
    static Map<String, List<Double>> seriesByName(LinesChartModel model) {
        Map<String, List<Double>> byName = new LinkedHashMap<>();
        model.getSeries().forEach(series -> byName.put(series.getName(), series.getData()));
        return byName;
    }
}
