package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code /proc/net/arp} text as the kernel writes it. */
class ArpTableTest {

    private static final String TABLE = """
            IP address       HW type     Flags       HW address            Mask     Device
            10.232.7.40      0x1         0x0         52:54:00:aa:bb:cc     *        nvtbr1
            192.168.122.213  0x1         0x2         52:54:00:e2:c8:68     *        virbr0
            10.232.7.41      0x1         0x2         52:54:00:AA:BB:CD     *        nvtbr1
            """;

    @Test
    void aResolvedEntryOfOneOfTheMacsGivesItsAddressInAnyCase() {
        assertThat(ArpTable.addressOf(TABLE, List.of("52:54:00:00:00:01", "52:54:00:aa:bb:cd")))
                .hasValueSatisfying(address -> assertThat(address.getHostAddress()).isEqualTo("10.232.7.41"));
    }

    @Test
    void anUnresolvedEntryOrAnotherMacGivesNothing() {
        // Flags 0x0: L0 asked and nobody answered (yet); the address is not the guest's.
        assertThat(ArpTable.addressOf(TABLE, List.of("52:54:00:aa:bb:cc"))).isEmpty();
        assertThat(ArpTable.addressOf(TABLE, List.of("52:54:00:12:34:56"))).isEmpty();
        assertThat(ArpTable.addressOf(TABLE.lines().findFirst().orElseThrow(), List.of("52:54:00:e2:c8:68"))).isEmpty();
    }
}
