package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedStress}. */
public final class StressBuilder extends EngineBuilder {

    @DataBoundConstructor
    public StressBuilder() {
        super("nestedStress");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedStress", "Nested virtualization: stress a host with many nested guests");
        }
    }
}
