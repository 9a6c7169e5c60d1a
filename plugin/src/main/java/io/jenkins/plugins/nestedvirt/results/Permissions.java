package io.jenkins.plugins.nestedvirt.results;

import hudson.model.Item;
import jenkins.model.Jenkins;

/** The permission every form endpoint of a job's configuration checks before it answers. */
public final class Permissions {

    private Permissions() {
    }

    /**
     * True if the current user may configure {@code item}; outside a job (e.g. the Snippet
     * Generator of Manage Jenkins) that is the right to administer Jenkins.
     */
    public static boolean canConfigure(Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }
}
