package io.jenkins.plugins.nestedvirt.results;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import java.util.Collection;
import java.util.Set;
import jenkins.model.TransientActionFactory;

/**
 * Adds the trend charts to every job that has results in one of its last completed builds.
 * Jenkins' own route ({@code SimpleBuildStep.LastBuildAction}) looks only at the last
 * successful build, which hides the charts exactly when a regression failed the latest builds.
 */
@Extension
@SuppressWarnings("rawtypes") // TransientActionFactory's type is the raw Job class
public final class NestedVirtJobActionFactory extends TransientActionFactory<Job> {

    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @Override
    public Class<? extends Action> actionType() {
        return NestedVirtJobAction.class;
    }

    @Override
    public Collection<? extends Action> createFor(Job target) {
        Job<?, ?> job = target;
        return NestedVirtJobAction.recentResultsIds(job).isEmpty() ? Set.of() : Set.of(new NestedVirtJobAction(job));
    }
}
