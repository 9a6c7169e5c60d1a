package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedGuestfish}: times guestfish launches on L0 or L1. */
public final class GuestfishStep extends EngineStep {

    static final String NAME = "nestedGuestfish";

    @DataBoundConstructor
    public GuestfishStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Time guestfish launches (nested-virt)");
        }
    }
}
