package io.jenkins.plugins.nestedvirt.config;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The L0 hosts are read from and written to Configuration as Code as {@code nestedVirt}. */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeITest {

    @Test
    @ConfiguredWithCode("casc.yaml")
    void hostsRoundTripThroughConfigurationAsCode(JenkinsConfiguredWithCodeRule r) throws Exception {
        List<L0Host> hosts = NestedVirtConfiguration.get().getHosts();
        assertEquals(2, hosts.size());
        L0Host first = hosts.get(0);
        assertEquals("l0-skylake-1", first.getName());
        assertEquals("qemu+ssh://root@l0-skylake-1.example.org/system", first.getLibvirtUri());
        assertEquals("l0-key", first.getCredentialsId());
        assertEquals("nested-l0 skylake", first.getLabels());
        assertEquals("qemu:///system", hosts.get(1).getLibvirtUri());

        String exported = toYamlString(getUnclassifiedRoot(new ConfigurationContext(ConfiguratorRegistry.get()))
                .get("nestedVirt"));
        assertTrue(exported.contains("name: \"l0-skylake-1\""), exported);
        assertTrue(exported.contains("credentialsId: \"l0-key\""), exported);
        assertTrue(exported.contains("hostKey: \"ssh-ed25519 "), exported);
    }
}
