package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedKernelBuild}: times a Linux kernel build on a level of the topology. */
public final class KernelBuildStep extends EngineStep {

    static final String NAME = "nestedKernelBuild";

    @DataBoundConstructor
    public KernelBuildStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Time a Linux kernel build (nested-virt)");
        }
    }
}
