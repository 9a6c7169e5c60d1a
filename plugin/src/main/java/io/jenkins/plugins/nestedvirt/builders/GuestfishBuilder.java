package io.jenkins.plugins.nestedvirt.builders;

import hudson.Extension;
import org.kohsuke.stapler.DataBoundConstructor;

/** The freestyle build step of {@code nestedGuestfish}. */
public final class GuestfishBuilder extends EngineBuilder {

    @DataBoundConstructor
    public GuestfishBuilder() {
        super("nestedGuestfish");
    }

    @Extension
    public static final class DescriptorImpl extends EngineBuilderDescriptor {

        public DescriptorImpl() {
            super("nestedGuestfish", "Nested virtualization: time guestfish launches");
        }
    }
}
