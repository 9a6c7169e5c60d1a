package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedTeardown}. */
public final class TeardownBuilder extends EngineBuilder {

    @DataBoundConstructor
    public TeardownBuilder() {
        super("nestedTeardown");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedTeardown", "Nested virtualization: tear a topology down");
        }
    }
}
