package io.jenkins.plugins.nestedvirt.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import edu.hm.hafner.echarts.Build;
import edu.hm.hafner.echarts.BuildResult;
import edu.hm.hafner.echarts.ChartModelConfiguration;
import edu.hm.hafner.echarts.line.LinesChartModel;
import hudson.model.Job;
import hudson.model.Run;
import io.github.nestedvirt.trend.BuildSummary;
import io.github.nestedvirt.trend.TrendChartKind;
import io.github.nestedvirt.trend.TrendCharts;
import io.jenkins.plugins.echarts.AsyncConfigurableTrendChart;
import java.util.ArrayList;
import java.util.List;
import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * One trend chart of a job: one kind of chart ({@link TrendChartKind}) over one result set.
 * The browser asks for its model by Ajax after the page is shown; the model is computed from
 * the summaries in {@code build.xml} only, never from full results.
 */
public final class TrendChartView implements AsyncConfigurableTrendChart {

    /** Builds looked at to decide whether the chart has anything to show. */
    static final int VISIBILITY_LOOK_BACK = 5;

    /**
     * Jackson 2 from jackson2-api: echarts-build-trends' own JacksonFacade is deprecated for removal, and
     * its Jackson differs between echarts-api releases. The models are plain beans either way.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Job<?, ?> job;
    private final String resultsId;
    private final TrendChartKind kind;

    TrendChartView(Job<?, ?> job, String resultsId, TrendChartKind kind) {
        this.job = job;
        this.resultsId = resultsId;
        this.kind = kind;
    }

    public String getTitle() {
        return kind.getTitle() + " (" + resultsId + ")";
    }

    /** Clicking a point opens this result set's page of that build. */
    public String getUrlName() {
        return NestedVirtBuildAction.urlName(resultsId);
    }

    @JavaScriptMethod
    @Override
    public String getConfigurableBuildTrendModel(String configuration) {
        ChartModelConfiguration chart = ChartModelConfiguration.fromJson(configuration);
        LinesChartModel model = model(chart.getBuildCount(), chart);
        try {
            return JSON.writeValueAsString(model);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the trend chart of " + resultsId + " cannot be written as JSON: "
                    + e.getMessage(), e);
        }
    }

    /** Shown when at least two recent builds have results and the chart has a line to draw. */
    @Override
    public boolean isTrendVisible() {
        LinesChartModel recent = model(VISIBILITY_LOOK_BACK, new ChartModelConfiguration());
        return recent.getBuildNumbers().size() >= 2 && !recent.getSeries().isEmpty();
    }

    LinesChartModel model(int builds, ChartModelConfiguration configuration) {
        return TrendCharts.create(kind, history(job, resultsId, builds), configuration);
    }

    /** The summaries of {@code resultsId} in the last {@code builds} completed builds, newest first. */
    static List<BuildResult<BuildSummary>> history(Job<?, ?> job, String resultsId, int builds) {
        List<BuildResult<BuildSummary>> history = new ArrayList<>();
        int looked = 0;
        for (Run<?, ?> build = job.getLastCompletedBuild(); build != null && looked < builds;
                build = build.getPreviousCompletedBuild(), looked++) {
            NestedVirtBuildAction action = ResultPublisher.find(build, resultsId);
            if (action != null) {
                int seconds = (int) (build.getStartTimeInMillis() / 1000);
                history.add(new BuildResult<>(new Build(build.getNumber(), build.getDisplayName(), seconds),
                        action.getSummary()));
            }
        }
        return history;
    }
}
