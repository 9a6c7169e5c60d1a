package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedNetperf}. */
public final class NetperfBuilder extends EngineBuilder {

    @DataBoundConstructor
    public NetperfBuilder() {
        super("nestedNetperf");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedNetperf", "Nested virtualization: measure network throughput");
        }
    }
}
