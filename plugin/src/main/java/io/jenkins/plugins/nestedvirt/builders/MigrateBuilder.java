package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedMigrate}. */
public final class MigrateBuilder extends EngineBuilder {

    @DataBoundConstructor
    public MigrateBuilder() {
        super("nestedMigrate");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedMigrate", "Nested virtualization: live-migrate a guest hypervisor");
        }
    }
}
