package io.github.nestedvirt.report;

import io.github.nestedvirt.result.Run;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trend of one benchmark metric: per run, the median of each level and variant.
 */
public class MedianSeriesBuilder extends RunSeriesBuilder {

    private final String benchmark;
    private final String metric;
    private final String unit;

    /**
     * @param benchmark e.g. {@code kernel-build}
     * @param metric e.g. {@code seconds}
     * @param unit the unit of the samples, e.g. {@code s}
     */
    public MedianSeriesBuilder(String benchmark, String metric, String unit) {
        this.benchmark = benchmark;
        this.metric = metric;
        this.unit = unit;
    }

    @Override
    protected Map<String, Double> computeSeries(Run run) {
        Map<String, Double> series = new LinkedHashMap<>();
        SeriesKey.medians(run.measurements(), benchmark, metric).forEach((key, median) -> series.put(key.name(), median));
        return series;
    }

    @Override
    public String title() {
        return benchmark + " / " + metric + ": median";
    }

    @Override
    public String unit() {
        return unit;
    }
}
