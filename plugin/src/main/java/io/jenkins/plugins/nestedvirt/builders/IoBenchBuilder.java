package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedIoBench}. */
public final class IoBenchBuilder extends EngineBuilder {

    @DataBoundConstructor
    public IoBenchBuilder() {
        super("nestedIoBench");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedIoBench", "Nested virtualization: measure disk I/O throughput");
        }
    }
}
