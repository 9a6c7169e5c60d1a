package io.jenkins.plugins.nestedvirt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** SSH reaches an L0 host at the user, address and port of its libvirt URI. */
class L0HostAddressTest {

    @Test
    void userHostAndPortComeFromTheUri() {
        assertEquals(new L0Host.SshAddress("admin", "l0.example.org", 2222),
                L0Host.SshAddress.of("qemu+ssh://admin@l0.example.org:2222/system"));
        assertEquals(new L0Host.SshAddress("root", "l0.example.org", 22),
                L0Host.SshAddress.of("qemu+ssh://l0.example.org/system"));
    }

    @Test
    void aLocalUriHasNoSshAddress() {
        assertNull(L0Host.SshAddress.of("qemu:///system"));
        assertNull(L0Host.SshAddress.of("not a uri"));
    }

    @Test
    void theKnownHostsLineNamesANonStandardPortTheWayOpenSshDoes() {
        String key = "ssh-ed25519 AAAAC3Nza";
        assertEquals("l0 ssh-ed25519 AAAAC3Nza\n", new L0Host.SshAddress("root", "l0", 22).knownHostsLine(key));
        assertEquals("[l0]:2222 ssh-ed25519 AAAAC3Nza\n",
                new L0Host.SshAddress("root", "l0", 2222).knownHostsLine(key));
    }
}
