package io.jenkins.plugins.nestedvirt.config;

import hudson.Extension;
import hudson.ExtensionList;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The L0 hosts of this Jenkins (Manage Jenkins > System, and {@code nestedVirt} in
 * Configuration as Code).
 */
@Extension
@Symbol("nestedVirt")
public class NestedVirtConfiguration extends GlobalConfiguration {

    private List<L0Host> hosts = new ArrayList<>();

    public NestedVirtConfiguration() {
        load();
    }

    public static NestedVirtConfiguration get() {
        return ExtensionList.lookupSingleton(NestedVirtConfiguration.class);
    }

    public List<L0Host> getHosts() {
        return List.copyOf(hosts);
    }

    @DataBoundSetter
    public void setHosts(List<L0Host> hosts) {
        this.hosts = hosts == null ? new ArrayList<>() : new ArrayList<>(hosts);
        save();
    }

    /**
     * The system configuration form. An emptied host list submits no {@code hosts} key at all, and
     * {@code bindJSON} sets only the keys present: the list is cleared first, so that deleting the
     * last L0 host sticks.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        hosts = new ArrayList<>();
        req.bindJSON(this, json);
        save();
        return true;
    }

    /** The host named {@code name}, or null. */
    public L0Host host(String name) {
        return hosts.stream().filter(host -> host.getName().equals(name)).findFirst().orElse(null);
    }
}
