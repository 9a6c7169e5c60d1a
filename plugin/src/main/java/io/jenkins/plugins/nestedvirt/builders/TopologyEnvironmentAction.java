package io.jenkins.plugins.nestedvirt.builders;

import hudson.EnvVars;
import hudson.model.EnvironmentContributingAction;
import hudson.model.Run;
import io.jenkins.plugins.nestedvirt.steps.EngineArguments;

/**
 * Hands the topology a provisioning build step recorded to the build steps after it, as
 * {@code NVMX_TOPOLOGY}: the freestyle counterpart of the {@code nestedTopology} block.
 */
public final class TopologyEnvironmentAction implements EnvironmentContributingAction {

    private final String topology;

    TopologyEnvironmentAction(String topology) {
        this.topology = topology;
    }

    public String getTopology() {
        return topology;
    }

    @Override
    public void buildEnvironment(Run<?, ?> run, EnvVars env) {
        env.put(EngineArguments.TOPOLOGY_VARIABLE, topology);
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
