package io.github.nestedvirt.trend;

import java.util.LinkedHashMap;
import java.util.Map;

/** kvm-unit-tests per build: how many tests passed, failed, were skipped and timed out. */
final class KutSeriesBuilder extends SummarySeriesBuilder {

    KutSeriesBuilder(String title) {
        super(title, "tests");
    }

    @Override
    protected Map<String, Double> computeSeries(BuildSummary summary) {
        Map<String, Double> series = new LinkedHashMap<>();
        if (summary.hasKvmUnitTests()) {
            series.put("passed", (double) summary.getKutPassed());
            series.put("failed", (double) summary.getKutFailed());
            series.put("skipped", (double) summary.getKutSkipped());
            series.put("timed out", (double) summary.getKutTimeouts());
        }
        return series;
    }

    @Override
    public boolean counts() {
        return true;
    }
}
