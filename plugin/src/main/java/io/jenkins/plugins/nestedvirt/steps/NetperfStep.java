package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedNetperf}: measures network throughput between guests. */
public final class NetperfStep extends EngineStep {

    static final String NAME = "nestedNetperf";

    @DataBoundConstructor
    public NetperfStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Measure network throughput (nested-virt)");
        }
    }
}
