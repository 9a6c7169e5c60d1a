package io.github.nestedvirt.report;

import edu.hm.hafner.echarts.line.SeriesBuilder;
import io.github.nestedvirt.result.Run;
import java.util.Map;

/**
 * A series builder over runs that also tells which series a run really has: the library fills a
 * series missing in one build with 0, which for a benchmark figure would be a false measurement.
 */
public abstract class RunSeriesBuilder extends SeriesBuilder<Run> {

    /** The values this run contributes, by series name; empty when the run has none. */
    public Map<String, Double> seriesOf(Run run) {
        return computeSeries(run);
    }

    /** The chart's title. */
    public abstract String title();

    /** The unit of the range axis. */
    public abstract String unit();
}
