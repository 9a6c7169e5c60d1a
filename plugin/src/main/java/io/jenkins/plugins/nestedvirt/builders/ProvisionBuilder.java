package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedProvision}. */
public final class ProvisionBuilder extends EngineBuilder {

    @DataBoundConstructor
    public ProvisionBuilder() {
        super("nestedProvision");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedProvision", "Nested virtualization: provision L1 and L2 guests");
        }
    }
}
