package io.jenkins.plugins.nestedvirt.results;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.github.nestedvirt.trend.TrendChartKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The job's trend charts ({@code floatingBox.jelly}): one per kind of chart and result set
 * found in the last few builds.
 */
public final class NestedVirtJobAction implements Action {

    /**
     * Completed builds searched for results: a failed latest build (which may have stopped
     * before the benchmarks) must not hide the charts of the builds before it.
     */
    static final int LOOK_BACK = 5;

    private final Job<?, ?> job;

    NestedVirtJobAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getOwner() {
        return job;
    }

    /** The result set ids of the last {@link #LOOK_BACK} completed builds, sorted. */
    static Set<String> recentResultsIds(Job<?, ?> job) {
        Set<String> ids = new TreeSet<>();
        int looked = 0;
        for (Run<?, ?> build = job.getLastCompletedBuild(); build != null && looked < LOOK_BACK;
                build = build.getPreviousCompletedBuild(), looked++) {
            build.getActions(NestedVirtBuildAction.class).forEach(action -> ids.add(action.getResultsId()));
        }
        return ids;
    }

    public List<TrendChartView> getCharts() {
        List<TrendChartView> charts = new ArrayList<>();
        for (String resultsId : recentResultsIds(job)) {
            for (TrendChartKind kind : TrendChartKind.values()) {
                charts.add(new TrendChartView(job, resultsId, kind));
            }
        }
        return charts;
    }

    /** No link in the side panel: the charts are on the job page itself. */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Nested virtualization trends";
    }

    @Override
    public String getUrlName() {
        return "nested-virt-trends";
    }
}
