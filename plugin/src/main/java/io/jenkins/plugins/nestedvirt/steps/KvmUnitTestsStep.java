package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedKvmUnitTests}: runs kvm-unit-tests in a guest and leaves JUnit XML for the junit step. */
public final class KvmUnitTestsStep extends EngineStep {

    static final String NAME = "nestedKvmUnitTests";

    @DataBoundConstructor
    public KvmUnitTestsStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Run kvm-unit-tests (nested-virt)");
        }
    }
}
