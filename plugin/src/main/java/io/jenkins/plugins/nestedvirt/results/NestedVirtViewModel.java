package io.jenkins.plugins.nestedvirt.results;

import hudson.model.ModelObject;
import hudson.model.Run;
import io.github.nestedvirt.trend.BuildPageModel;
import java.util.List;

/**
 * The page of one result set: what the engine's {@link BuildPageModel} holds, rendered by
 * {@code index.jelly}. Built per request, so the full result is read only when someone looks.
 */
public final class NestedVirtViewModel implements ModelObject {

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

    /** Measurements, level ratios, VMCS and MMU comparisons, kvm_stat exits, kvm-unit-tests. */
    public List<PageTable> getTables() {
        return PageTable.of(BuildPageModel.of(action.getResult()));
    }

    @Override
    public String getDisplayName() {
        return action.getDisplayName();
    }
}
