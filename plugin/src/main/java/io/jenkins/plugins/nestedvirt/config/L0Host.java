package io.jenkins.plugins.nestedvirt.config;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A physical host (L0) the plan runs on: how libvirt and SSH reach it, with which key, and which
 * host key it must present. The SSH user, address and port are those of the libvirt URI.
 */
public final class L0Host extends AbstractDescribableImpl<L0Host> {

    private final String name;
    private final String libvirtUri;
    private String credentialsId = "";
    private String hostKey = "";
    private String labels = "";

    @DataBoundConstructor
    public L0Host(String name, String libvirtUri) {
        this.name = Util.fixNull(name).trim();
        this.libvirtUri = Util.fixNull(libvirtUri).trim();
    }

    public String getName() {
        return name;
    }

    /** e.g. {@code qemu+ssh://root@l0.example.org/system}, or {@code qemu:///system} for the agent itself. */
    public String getLibvirtUri() {
        return libvirtUri;
    }

    /** The id of an SSH private key credential ({@link SSHUserPrivateKey}). */
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixNull(credentialsId).trim();
    }

    /** The host's public key as in known_hosts after the host name, e.g. {@code ssh-ed25519 AAAA...}. */
    public String getHostKey() {
        return hostKey;
    }

    @DataBoundSetter
    public void setHostKey(String hostKey) {
        this.hostKey = Util.fixNull(hostKey).trim();
    }

    /** Labels of the Jenkins agents that run on this host, space separated. */
    public String getLabels() {
        return labels;
    }

    @DataBoundSetter
    public void setLabels(String labels) {
        this.labels = Util.fixNull(labels).trim();
    }

    /** The SSH address of the libvirt URI, or null for a local URI ({@code qemu:///system}). */
    SshAddress sshAddress() {
        return SshAddress.of(libvirtUri);
    }

    /** User, host and port that SSH connects to, taken from a libvirt URI. */
    record SshAddress(String user, String host, int port) {

        static SshAddress of(String libvirtUri) {
            try {
                URI uri = new URI(libvirtUri);
                if (uri.getHost() == null || uri.getScheme() == null || !uri.getScheme().endsWith("+ssh")) {
                    return null;
                }
                String user = uri.getUserInfo() == null ? "root" : uri.getUserInfo();
                return new SshAddress(user, uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort());
            } catch (URISyntaxException e) {
                return null;
            }
        }

        /** The known_hosts line pinning {@code hostKey} for this address. */
        String knownHostsLine(String hostKey) {
            String name = port == 22 ? host : "[" + host + "]:" + port;
            return name + " " + hostKey + "\n";
        }
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<L0Host> {

        @Override
        public String getDisplayName() {
            return "L0 host";
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return Util.fixEmptyAndTrim(value) == null ? FormValidation.error("Give the host a name, e.g. l0-skylake-1")
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckLibvirtUri(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return HostChecks.libvirtUri(value);
        }

        @POST
        public FormValidation doCheckHostKey(@QueryParameter String value, @QueryParameter String libvirtUri) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return HostChecks.hostKey(value, SshAddress.of(Util.fixNull(libvirtUri).trim()) != null);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return new StandardListBoxModel().includeCurrentValue(credentialsId);
            }
            return new StandardListBoxModel().includeEmptyValue().includeMatchingAs(ACL.SYSTEM2, Jenkins.get(),
                    SSHUserPrivateKey.class, List.of(), CredentialsMatchers.always());
        }

        /** The "Test connection" button: runs the engine's preflight on the host over SSH. */
        @POST
        public FormValidation doTestConnection(@QueryParameter String libvirtUri, @QueryParameter String credentialsId,
                @QueryParameter String hostKey) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return ConnectionTest.run(Util.fixNull(libvirtUri).trim(), Util.fixNull(credentialsId).trim(),
                    Util.fixNull(hostKey).trim());
        }
    }
}
