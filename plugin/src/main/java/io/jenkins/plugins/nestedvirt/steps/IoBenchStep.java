package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedIoBench}: measures disk I/O throughput on a level of the topology. */
public final class IoBenchStep extends EngineStep {

    static final String NAME = "nestedIoBench";

    @DataBoundConstructor
    public IoBenchStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Measure disk I/O throughput (nested-virt)");
        }
    }
}
