package io.github.nestedvirt.trend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.commons.statistics.descriptive.Median;

/**
 * The trend of chosen metrics: per build, the median of each, one line per series name. Metrics that
 * fall on the same line (two MMU modes when the line is per level only) are combined into the median
 * of their medians, so a line stays one line.
 */
public class MedianSeriesBuilder extends SummarySeriesBuilder {

    private final Predicate<MetricSummary> metrics;
    private final Function<MetricSummary, String> line;
    /** The line of each metric key and unit seen, empty for a metric not drawn: they recur in every build. */
    private final Map<String, String> lineByKey = new HashMap<>();

    /**
     * @param metrics which metrics of a build are drawn; decided by what the metric key and unit
     *     hold (benchmark, metric, level, variant, unit), as it is asked once per key and unit
     * @param line the line a metric belongs to (the legend text), e.g. its level; from what the key
     *     holds, as above
     */
    public MedianSeriesBuilder(String title, String unit, Predicate<MetricSummary> metrics,
            Function<MetricSummary, String> line) {
        super(title, unit);
        this.metrics = metrics;
        this.line = line;
    }

    /** Every level and variant of one benchmark metric, as the offline report draws it. */
    public static MedianSeriesBuilder perLevelAndVariant(String benchmark, String metric, String unit) {
        return perLevelAndVariant(benchmark + " / " + metric + ": median", benchmark, metric, unit);
    }

    /** Every level and variant of one benchmark metric in {@code unit}, one line each. */
    public static MedianSeriesBuilder perLevelAndVariant(String title, String benchmark, String metric, String unit) {
        return new MedianSeriesBuilder(title, unit,
                m -> benchmark.equals(m.getBenchmark()) && metric.equals(m.getMetric()) && m.level() != null
                        && Objects.equals(unit, m.getUnit()),
                m -> SeriesKey.of(m).name());
    }

    @Override
    protected Map<String, Double> computeSeries(BuildSummary summary) {
        Map<String, List<Double>> perLine = new TreeMap<>();
        for (MetricSummary metric : summary.getMetrics()) {
            String name = lineByKey.computeIfAbsent(metric.getKey() + " " + metric.getUnit(),
                    key -> metrics.test(metric) ? line.apply(metric) : "");
            if (!name.isEmpty()) {
                perLine.computeIfAbsent(name, n -> new ArrayList<>()).add(metric.getMedian());
            }
        }
        Map<String, Double> series = new LinkedHashMap<>();
        perLine.forEach((name, medians) -> series.put(name, medians.size() == 1 ? medians.get(0)
                : Median.withDefaults().evaluate(medians.stream().mapToDouble(Double::doubleValue).toArray())));
        return series;
    }
}
