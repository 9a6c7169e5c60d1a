package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code nestedTopology(...) { ... }}: provisions a topology, runs the block with
 * {@code NVMX_TOPOLOGY} naming it, and tears it down whatever the block did.
 */
public final class TopologyStep extends EngineStep {

    static final String NAME = "nestedTopology";

    @DataBoundConstructor
    public TopologyStep() {
        super(NAME);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new TopologyExecution(context, arguments().copy());
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Provision a nested topology around a block, and always tear it down");
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }
    }
}
