package io.jenkins.plugins.nestedvirt.results;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.github.nestedvirt.trend.TrendChartKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.WeakHashMap;

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

    /**
     * Per job, the ids found from its last completed build back: a job's actions are computed on every
     * page that shows the job, and reading {@link #LOOK_BACK} builds each time would load them from disk
     * again and again. Read afresh once another build has completed (or the last one was deleted).
     */
    private static final Map<Job<?, ?>, RecentIds> RECENT = Collections.synchronizedMap(new WeakHashMap<>());

    private record RecentIds(int lastCompleted, SortedSet<String> ids) {
    }

    /** The result set ids of the last {@link #LOOK_BACK} completed builds, sorted. */
    static SortedSet<String> recentResultsIds(Job<?, ?> job) {
        Run<?, ?> last = job.getLastCompletedBuild();
        if (last == null) {
            return Collections.emptySortedSet();
        }
        RecentIds cached = RECENT.get(job);
        if (cached != null && cached.lastCompleted() == last.getNumber()) {
            return cached.ids();
        }
        SortedSet<String> ids = new TreeSet<>();
        int looked = 0;
        for (Run<?, ?> build = last; build != null && looked < LOOK_BACK;
                build = build.getPreviousCompletedBuild(), looked++) {
            build.getActions(NestedVirtBuildAction.class).forEach(action -> ids.add(action.getResultsId()));
        }
        SortedSet<String> found = Collections.unmodifiableSortedSet(ids);
        RECENT.put(job, new RecentIds(last.getNumber(), found));
        return found;
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
