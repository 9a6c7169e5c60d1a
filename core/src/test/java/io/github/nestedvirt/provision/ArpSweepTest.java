package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.host.HostException;
import org.junit.jupiter.api.Test;

/** What a sweep does with devices it cannot or should not sweep, on this machine's own devices. */
class ArpSweepTest {

    @Test
    void aMissingBridgeIsNamedWithWhatToDo() {
        assertThatThrownBy(() -> new ArpSweep("nvmx-no-br").sweep())
                .isInstanceOf(HostException.class)
                .hasMessageContaining("no network device nvmx-no-br on this host")
                .hasMessageContaining("network: {network: default}");
    }

    @Test
    void aSubnetLargerThanASlash22IsNotSwept() throws Exception {
        // Loopback holds 127.0.0.1/8: sixteen million addresses, far too many to ask for.
        assertThat(new ArpSweep("lo").sweep())
                .isEqualTo("swept 0 addresses on bridge lo; not swept, larger than a /22 or without host addresses:"
                        + " [127.0.0.1/8]");
    }
}
