package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedPreflight}. */
public final class PreflightBuilder extends EngineBuilder {

    @DataBoundConstructor
    public PreflightBuilder() {
        super("nestedPreflight");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedPreflight", "Nested virtualization: preflight of a host");
        }
    }
}
