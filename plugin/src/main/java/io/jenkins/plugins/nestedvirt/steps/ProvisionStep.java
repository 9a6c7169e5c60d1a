package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedProvision}: provisions a topology of guest hypervisors (L1) and nested guests (L2). */
public final class ProvisionStep extends EngineStep {

    static final String NAME = "nestedProvision";

    @DataBoundConstructor
    public ProvisionStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Provision L1 and L2 guests (nested-virt)");
        }
    }
}
