package io.jenkins.plugins.nestedvirt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.Stapler;
import org.springframework.security.access.AccessDeniedException;

/** The global L0 hosts: saved and read back (also when none are left), and only administrators may probe them. */
@WithJenkins
class NestedVirtConfigurationITest {

    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh0ZXN0LWtleS1vZi1hLWhvc3QtZm9yLXRlc3Rz";

    @Test
    void hostsSurviveTheSystemConfigurationForm(JenkinsRule j) throws Exception {
        L0Host host = new L0Host("l0-a", "qemu+ssh://root@l0-a.example.org:2222/system");
        host.setCredentialsId("l0-key");
        host.setHostKey(HOST_KEY);
        host.setLabels("nested-l0");
        NestedVirtConfiguration.get().setHosts(List.of(host));

        j.configRoundtrip();

        List<L0Host> hosts = NestedVirtConfiguration.get().getHosts();
        assertEquals(1, hosts.size());
        j.assertEqualDataBoundBeans(host, hosts.get(0));
    }

    @Test
    void deletingTheLastHostSticks(JenkinsRule j) throws Exception {
        NestedVirtConfiguration.get().setHosts(List.of(new L0Host("l0-a", "qemu:///system")));

        // what the form submits once the last host is deleted: no "hosts" key at all
        j.createWebClient().executeOnServer(() -> NestedVirtConfiguration.get().configure(
                Stapler.getCurrentRequest2(), new JSONObject()));
        assertEquals(List.of(), NestedVirtConfiguration.get().getHosts());

        j.configRoundtrip();
        assertEquals(List.of(), NestedVirtConfiguration.get().getHosts());
        NestedVirtConfiguration.get().load();
        assertEquals(List.of(), NestedVirtConfiguration.get().getHosts(), "saved: read back from disk, none");
    }

    @Test
    void onlyAdministratorsMayTestAConnection(JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("reader"));
        L0Host.DescriptorImpl descriptor = j.jenkins.getDescriptorByType(L0Host.DescriptorImpl.class);

        try (ACLContext as = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertThrows(AccessDeniedException.class, () -> descriptor.doTestConnection(
                    "qemu+ssh://root@l0-a.example.org/system", "l0-key", HOST_KEY));
            assertThrows(AccessDeniedException.class, () -> descriptor.doCheckLibvirtUri("qemu:///system"));
            assertEquals(0, descriptor.doFillCredentialsIdItems("").stream()
                    .filter(option -> !option.value.isEmpty()).count(), "no credential ids for a reader");
        }
    }

    @Test
    void theTestSaysWhatIsMissingBeforeConnecting(JenkinsRule j) throws Exception {
        L0Host.DescriptorImpl descriptor = j.jenkins.getDescriptorByType(L0Host.DescriptorImpl.class);

        FormValidation unpinned = descriptor.doTestConnection("qemu+ssh://root@l0-a.example.org/system", "l0-key", "");
        assertEquals(FormValidation.Kind.ERROR, unpinned.kind);
        assertTrue(unpinned.getMessage().contains("Pin the host's key"), unpinned.getMessage());

        FormValidation noKey = descriptor.doTestConnection("qemu+ssh://root@l0-a.example.org/system", "absent",
                HOST_KEY);
        assertEquals(FormValidation.Kind.ERROR, noKey.kind);
        assertTrue(noKey.getMessage().contains("No SSH private key credential with id 'absent'"), noKey.getMessage());

        FormValidation local = descriptor.doTestConnection("qemu:///system", "", "");
        assertEquals(FormValidation.Kind.OK, local.kind);
    }

    @Test
    void theKeyListOffersSshKeysToAdministrators(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                CredentialsScope.GLOBAL, "l0-key", "root",
                new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource("not a real key"), null, "L0 key"));
        L0Host.DescriptorImpl descriptor = j.jenkins.getDescriptorByType(L0Host.DescriptorImpl.class);

        assertTrue(descriptor.doFillCredentialsIdItems("").stream().anyMatch(option -> option.value.equals("l0-key")));
    }
}
