package io.github.nestedvirt.trend;

import edu.hm.hafner.echarts.line.SeriesBuilder;
import java.util.Map;

/**
 * A series builder over build summaries that also tells which series a build really has: the
 * library fills a series missing in one build with 0, which for a benchmark figure would be a false
 * measurement.
 */
public abstract class SummarySeriesBuilder extends SeriesBuilder<BuildSummary> {

    private final String title;
    private final String unit;

    protected SummarySeriesBuilder(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    /** The values this build contributes, by series name; empty when it has none (or no summary at all). */
    public final Map<String, Double> seriesOf(BuildSummary summary) {
        return summary == null ? new java.util.HashMap<>() : computeSeries(summary);
    }

    /** The chart's title. */
    public String title() {
        return title;
    }

    /** The unit of the range axis. */
    public String unit() {
        return unit;
    }

    /** Whether every value is a whole number (counts), so that the range axis shows whole numbers only. */
    public boolean counts() {
        return false;
    }
}
