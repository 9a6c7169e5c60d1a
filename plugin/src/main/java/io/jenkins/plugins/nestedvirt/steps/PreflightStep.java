package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedPreflight}: preflight: what the host is and whether it can run the plan. */
public final class PreflightStep extends EngineStep {

    static final String NAME = "nestedPreflight";

    @DataBoundConstructor
    public PreflightStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Check that a host can run the nested-virtualization plan (nested-virt)");
        }
    }
}
