package io.github.nestedvirt.trend;

import io.github.nestedvirt.result.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cost of nesting for one benchmark metric: per build, the median at a level divided by the median
 * one level below (L1/L0, L2/L1), per variant. A level is compared with the level below in the same
 * variant; when the level below has no such variant, with its measurement without any variant (bare
 * metal L0 has no nesting settings), else not at all.
 */
public class LevelRatioSeriesBuilder extends SummarySeriesBuilder {

    private final String benchmark;
    private final String metric;

    public LevelRatioSeriesBuilder(String benchmark, String metric) {
        super(benchmark + " / " + metric + ": ratio of medians to the level below", "ratio");
        this.benchmark = benchmark;
        this.metric = metric;
    }

    @Override
    protected Map<String, Double> computeSeries(BuildSummary summary) {
        Map<SeriesKey, Double> medians = new TreeMap<>();
        for (MetricSummary m : summary.getMetrics()) {
            if (benchmark.equals(m.getBenchmark()) && metric.equals(m.getMetric()) && m.level() != null) {
                medians.put(SeriesKey.of(m), m.getMedian());
            }
        }
        Map<String, Double> series = new LinkedHashMap<>();
        medians.forEach((key, median) -> {
            Level below = key.level().below();
            if (below == null) {
                return;
            }
            Double base = medians.get(new SeriesKey(below, key.variant()));
            if (base == null) {
                base = medians.get(new SeriesKey(below, Map.of()));
            }
            if (base != null && base != 0) {
                series.put(key.level() + "/" + below + key.variantText(), median / base);
            }
        });
        return series;
    }
}
