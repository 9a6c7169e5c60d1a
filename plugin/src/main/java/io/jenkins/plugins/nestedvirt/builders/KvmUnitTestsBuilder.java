package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedKvmUnitTests}. */
public final class KvmUnitTestsBuilder extends EngineBuilder {

    @DataBoundConstructor
    public KvmUnitTestsBuilder() {
        super("nestedKvmUnitTests");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedKvmUnitTests", "Nested virtualization: run kvm-unit-tests");
        }
    }
}
