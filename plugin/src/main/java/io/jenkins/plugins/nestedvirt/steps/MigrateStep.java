package io.jenkins.plugins.nestedvirt.steps;

import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code nestedMigrate}: live-migrates a guest hypervisor with its nested guests to another L0. */
public final class MigrateStep extends EngineStep {

    static final String NAME = "nestedMigrate";

    @DataBoundConstructor
    public MigrateStep() {
        super(NAME);
    }

    @Extension
    @Symbol(NAME)
    public static final class DescriptorImpl extends EngineStepDescriptor {

        public DescriptorImpl() {
            super(NAME, "Live-migrate a guest hypervisor (nested-virt)");
        }
    }
}
