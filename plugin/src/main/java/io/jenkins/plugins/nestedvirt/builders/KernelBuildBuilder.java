package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedKernelBuild}. */
public final class KernelBuildBuilder extends EngineBuilder {

    @DataBoundConstructor
    public KernelBuildBuilder() {
        super("nestedKernelBuild");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedKernelBuild", "Nested virtualization: time a Linux kernel build");
        }
    }
}
