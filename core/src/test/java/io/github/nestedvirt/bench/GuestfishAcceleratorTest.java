package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestfishAcceleratorTest {

    @Test
    void forcedTcgOnTheDirectBackendIsTcgAlthoughTheProbesMentionKvm() {
        assertThat(GuestfishAccelerator.parse(Fixtures.read("guestfish-v-direct-tcg.txt"))).isEqualTo("tcg");
    }

    @Test
    void aLaunchInsideATcgL1IsTcgByItsCommandAndByItsKernel() {
        // recorded in the test L1 of this project (no /dev/kvm there): supermin's build, the probes, the appliance
        String log = Fixtures.read("guestfish-v-direct-tcg-in-tcg-l1.txt");
        assertThat(GuestfishAccelerator.parse(log)).isEqualTo("tcg");
        assertThat(GuestfishAccelerator.parse(log.replaceAll("(?m)^\\s+-machine accel=tcg.*$", ""))).isEqualTo("tcg");
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
