package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedTeardown}: removes every resource a provisioned topology recorded. */
public final class TeardownStep extends EngineStep {

    static final String NAME = "nestedTeardown";

    @DataBoundConstructor
    public TeardownStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Tear a provisioned topology down (nested-virt)");
        }
    }
}
