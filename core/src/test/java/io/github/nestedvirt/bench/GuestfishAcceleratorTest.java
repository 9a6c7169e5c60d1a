package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestfishAcceleratorTest {

    @Test
    void forcedTcgOnTheDirectBackendIsTcgAlthoughTheProbesMentionKvm() {
        assertThat(GuestfishAccelerator.parse(Fixtures.read("guestfish-v-direct-tcg.txt"))).isEqualTo("tcg");
    }

    @Test
    void kvmOrTcgFallbackIsDecidedByTheApplianceKernel() {
        assertThat(GuestfishAccelerator.parse(Fixtures.read("guestfish-v-direct-kvm.txt"))).isEqualTo("kvm");
    }

    @Test
    void libvirtBackendIsReadFromTheDomainType() {
        assertThat(GuestfishAccelerator.parse(Fixtures.read("guestfish-v-libvirt-kvm.txt"))).isEqualTo("kvm");
        assertThat(GuestfishAccelerator.parse(Fixtures.read("guestfish-v-libvirt-kvm.txt")
                .replace("<domain type=\"kvm\"", "<domain type=\"qemu\"")
                .replace("Hypervisor detected: KVM", ""))).isEqualTo("tcg");
    }

    @Test
    void withoutEvidenceItSaysUnknown() {
        assertThat(GuestfishAccelerator.parse(Fixtures.read("guestfish-v-unrecognised.txt"))).isEqualTo("unknown");
    }
}
