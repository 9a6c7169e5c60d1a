package io.jenkins.plugins.nestedvirt.results;

import hudson.model.ModelObject;
import hudson.model.Run;
import io.github.nestedvirt.trend.BuildPageModel;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The page of one result set: what the engine's {@link BuildPageModel} holds, rendered by
 * {@code index.jelly}. Built per request, so the full result is read only when someone looks.
 */
public final class NestedVirtViewModel implements ModelObject {

    /** Earlier builds searched for the previous results at most: each one loads its build.xml. */
    private static final int PREVIOUS_LOOK_BACK = 20;

    private final NestedVirtBuildAction action;

    NestedVirtViewModel(NestedVirtBuildAction action) {
        this.action = action;
    }

    public Run<?, ?> getOwner() {
        return action.getOwner();
    }

    public NestedVirtBuildAction getAction() {
        return action;
    }

    /**
     * Measurements (with their change since the previous build's results of the same set),
     * level ratios, VMCS and MMU comparisons, kvm_stat exits, kvm-unit-tests.
     */
    public List<PageTable> getTables() {
        return PageTable.of(BuildPageModel.of(action.getResult(), previousResult()));
    }

    /** The same result set of the latest earlier completed build that has one, or null. */
    private io.github.nestedvirt.result.Run previousResult() {
        int looked = 0;
        for (Run<?, ?> build = action.getOwner().getPreviousCompletedBuild(); build != null
                && looked < PREVIOUS_LOOK_BACK; build = build.getPreviousCompletedBuild(), looked++) {
            NestedVirtBuildAction earlier = ResultPublisher.find(build, action.getResultsId());
            if (earlier != null) {
                try {
                    return earlier.getResult();
                } catch (UncheckedIOException e) {
                    // its full result is gone (deleted by hand): the page shows this build alone
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public String getDisplayName() {
        return action.getDisplayName();
    }
}
