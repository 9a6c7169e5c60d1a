package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedStress}: starts many nested guests at once and checks that all come up. */
public final class StressStep extends EngineStep {

    static final String NAME = "nestedStress";

    @DataBoundConstructor
    public StressStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Stress a host with many nested guests (nested-virt)");
        }
    }
}
