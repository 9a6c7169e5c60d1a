package io.github.nestedvirt.trend;

import edu.hm.hafner.echarts.BuildResult;
import edu.hm.hafner.echarts.ChartModelConfiguration;
import edu.hm.hafner.echarts.ChartModelConfiguration.AxisType;
import edu.hm.hafner.echarts.Palette;
import edu.hm.hafner.echarts.line.LineSeries;
import edu.hm.hafner.echarts.line.LineSeries.FilledMode;
import edu.hm.hafner.echarts.line.LineSeries.StackedMode;
import edu.hm.hafner.echarts.line.LinesChartModel;
import edu.hm.hafner.echarts.line.LinesDataSet;
import edu.hm.hafner.echarts.line.SeriesBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Trend chart models from build summaries only: what the Jenkins job page fetches and what the
 * offline report draws, from the same code.
 *
 * <p>Where a build lacks a series the value is null (a gap), not the 0 the library fills in; on a
 * day axis each line is averaged over the builds of the day that have it.
 */
public final class TrendCharts {

    /** Benchmark figures range from microseconds to thousands of MB/s: keep enough decimals. */
    private static final int DECIMALS = 6;

    /** The library's palette starts with yellow, hard to see on white: strong colors first. */
    private static final List<Palette> COLORS = List.of(Palette.BLUE, Palette.ORANGE, Palette.GREEN, Palette.PURPLE,
            Palette.RED, Palette.TEAL, Palette.BROWN, Palette.INDIGO, Palette.GRAY, Palette.LIME, Palette.YELLOW);

    private TrendCharts() {
    }

    /**
     * The chart of {@code kind} over {@code history}.
     *
     * @param history the builds, newest first; a build without a summary (it failed before it had
     *     results) or without the chart's metrics is left out
     * @param configuration how many builds (default 50) or days, and whether the axis is builds or days
     */
    public static LinesChartModel create(TrendChartKind kind, Iterable<BuildResult<BuildSummary>> history,
            ChartModelConfiguration configuration) {
        return model(kind.builder(), history, configuration, "Build");
    }

    /**
     * The chart of one series builder over {@code history} (newest first).
     *
     * @param itemName what a point of the domain axis is called in the tooltip: {@code Build}, {@code Run}
     */
    public static LinesChartModel model(SummarySeriesBuilder builder,
            Iterable<? extends BuildResult<BuildSummary>> history, ChartModelConfiguration configuration,
            String itemName) {
        List<BuildResult<BuildSummary>> builds = newest(history, configuration);
        Map<BuildSummary, Map<String, Double>> computed = new IdentityHashMap<>();
        builds.forEach(build -> computed.computeIfAbsent(build.getResult(), builder::seriesOf));

        LinesDataSet axis = builder(computed::get).createDataSet(configuration, builds);
        axis.setDecimals(DECIMALS);
        LinesChartModel model = new LinesChartModel(axis);
        model.setDomainAxisItemName(itemName);
        if (!builder.counts()) {
            model.useContinuousRangeAxis();
        }
        Map<Integer, Map<String, Double>> byNumber = new HashMap<>();
        builds.forEach(build -> byNumber.put(build.getBuild().getNumber(), computed.get(build.getResult())));
        int color = 0;
        for (String id : new TreeSet<>(axis.getDataSetIds())) {
            List<Double> values = configuration.getAxisType() == AxisType.BUILD
                    ? withGaps(axis, id, byNumber) : perDay(axis, id, computed, builds, configuration);
            model.addSeries(new LineSeries(id, COLORS.get(color++ % COLORS.size()).getNormal(),
                    StackedMode.SEPARATE_LINES, FilledMode.LINES, values));
        }
        return model;
    }

    /** One point per build: the library's values, with null where the build did not have the series. */
    private static List<Double> withGaps(LinesDataSet axis, String id, Map<Integer, Map<String, Double>> byNumber) {
        List<Double> values = axis.getSeries(id);
        List<Double> withGaps = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            withGaps.add(byNumber.get(axis.getBuildNumbers().get(i)).containsKey(id) ? values.get(i) : null);
        }
        return withGaps;
    }

    /**
     * One point per day: the series laid out by the library on its own, from the builds that have
     * it, so that its daily average counts only those; null on days without it.
     */
    private static List<Double> perDay(LinesDataSet axis, String id, Map<BuildSummary, Map<String, Double>> computed,
            List<BuildResult<BuildSummary>> builds, ChartModelConfiguration configuration) {
        LinesDataSet line = builder(summary -> computed.get(summary).containsKey(id)
                ? Map.of(id, computed.get(summary).get(id)) : Map.of()).createDataSet(configuration, builds);
        line.setDecimals(DECIMALS);
        Map<String, Double> byDay = new HashMap<>();
        List<Double> values = line.getSeries(id);
        for (int i = 0; i < values.size(); i++) {
            byDay.put(line.getDomainAxisLabels().get(i), values.get(i));
        }
        return axis.getDomainAxisLabels().stream().map(byDay::get).toList();
    }

    /** The series of a model by name, for callers that check figures. */
    public static Map<String, List<Double>> seriesByName(LinesChartModel model) {
        Map<String, List<Double>> byName = new LinkedHashMap<>();
        model.getSeries().forEach(series -> byName.put(series.getName(), series.getData()));
        return byName;
    }

    /** The builds the configuration asks for, walked once: never more than its build count. */
    private static List<BuildResult<BuildSummary>> newest(Iterable<? extends BuildResult<BuildSummary>> history,
            ChartModelConfiguration configuration) {
        int limit = configuration.isBuildCountDefined() ? configuration.getBuildCount() : Integer.MAX_VALUE;
        List<BuildResult<BuildSummary>> builds = new ArrayList<>();
        for (BuildResult<BuildSummary> build : history) {
            if (builds.size() >= limit) {
                break;
            }
            builds.add(build);
        }
        return builds;
    }

    /** A series builder from a function; the map it returns is copied, as the library adds to it. */
    private static SeriesBuilder<BuildSummary> builder(Function<BuildSummary, Map<String, Double>> series) {
        return new SeriesBuilder<>() {
            @Override
            protected Map<String, Double> computeSeries(BuildSummary summary) {
                return new HashMap<>(series.apply(summary));
            }
        };
    }
}
