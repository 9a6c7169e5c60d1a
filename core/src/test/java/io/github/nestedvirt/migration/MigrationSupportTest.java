package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.result.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationSupportTest {

    @Test
    void twoCurrentHostsWithTheSameCpuCanTry() {
        assertThat(MigrationSupport.reasonsAgainst(host("a", "6.1.0-31-amd64", "7.2.15", "vmx", "ept"),
                host("b", "6.6.9", "8.2.0", "vmx", "ept", "avx512f"))).isEmpty();
    }

    @Test
    void oldKernelOldQemuAndMissingCpuFlagsAreEachNamed() {
        List<String> reasons = MigrationSupport.reasonsAgainst(host("a", "6.1.0", "7.2.15", "vmx", "ept", "avx512f"),
                host("b", "4.19.0-25-amd64", "4.1.1", "vmx", "ept"));

        assertThat(reasons).containsExactly(
                "b: kernel 4.19.0-25-amd64 is older than 5.3, which cannot migrate the state of a running L2 "
                        + "(KVM_CAP_NESTED_STATE)",
                "b: QEMU 4.1.1 is older than 4.2, which cannot migrate a guest hypervisor with a running L2",
                "b lacks CPU flags of a: avx512f; a host-passthrough L1 cannot move there (use a named CPU model both "
                        + "hosts offer)");
    }

    @Test
    void aHostWithoutQemuIsNamed() {
        assertThat(MigrationSupport.reasonsAgainst(host("a", "6.1", null, "vmx"), host("b", "6.1", "8.0.0", "vmx")))
                .containsExactly("a: QEMU is not installed, which cannot migrate a guest hypervisor with a running L2");
    }

    @Test
    void versionsCompareByMajorThenMinor() {
        assertThat(MigrationSupport.atLeast("5.3.0", MigrationSupport.MIN_KERNEL)).isTrue();
        assertThat(MigrationSupport.atLeast("5.10.1", MigrationSupport.MIN_KERNEL)).isTrue();
        assertThat(MigrationSupport.atLeast("5.2.21", MigrationSupport.MIN_KERNEL)).isFalse();
        assertThat(MigrationSupport.atLeast("10.0.0", MigrationSupport.MIN_QEMU)).isTrue();
        assertThat(MigrationSupport.atLeast("unknown", MigrationSupport.MIN_QEMU)).isFalse();
    }

    @Test
    void qemusNestedMigrationBlockerIsARefusalNotACrash() {
        String message = "operation failed: job 'migration out' failed: Nested VMX virtualization does not support "
                + "live migration yet";

        assertThat(MigrationRefusal.of(message)).hasValueSatisfying(refusal -> {
            assertThat(refusal.kind()).isEqualTo(MigrationRefusal.Kind.NESTED_STATE_NOT_SUPPORTED);
            assertThat(refusal.detail()).startsWith("not supported on this host");
        });
    }

    @Test
    void aDestinationThatGetsNoNestedStateForAnL1InGuestModeIsARefusal() {
        // libvirt's words when MigrationL2Test moved a TCG L1 running a KVM L2 (QEMU 7.2, libvirt 9.0)
        String message = "internal error: qemu unexpectedly closed the monitor: 2026-11-26T02:06:01.469226Z "
                + "qemu-system-x86_64: vCPU set in guest-mode inconsistent with migrated kernel nested state\n"
                + "2026-11-26T02:06:01.469675Z qemu-system-x86_64: error while loading state for instance 0x0 of "
                + "device 'cpu'";

        assertThat(MigrationRefusal.of(message)).hasValueSatisfying(refusal -> {
            assertThat(refusal.kind()).isEqualTo(MigrationRefusal.Kind.NESTED_STATE_NOT_SUPPORTED);
            assertThat(refusal.detail()).startsWith("not supported on this host: the L1 was running an L2")
                    .contains("the L1 stays on the source");
        });
    }

    @Test
    void missingCpuFeaturesAreNamed() {
        String message = "operation failed: guest CPU doesn't match specification: missing features: vmx-ept-wb,avx512f";

        assertThat(MigrationRefusal.of(message)).hasValueSatisfying(refusal -> {
            assertThat(refusal.kind()).isEqualTo(MigrationRefusal.Kind.CPU_MISMATCH);
            assertThat(refusal.detail()).contains("lacks vmx-ept-wb avx512f");
        });
    }

    @Test
    void anOrdinaryFailureIsNoRefusal() {
        assertThat(MigrationRefusal.of("unable to connect to server at 'l0b:49152': Connection refused")).isEmpty();
        assertThat(MigrationRefusal.of(null)).isEmpty();
    }

    private static HostFacts host(String name, String kernel, String qemu, String... flags) {
        return new HostFacts(Level.L0, name, name, "GenuineIntel", "Intel Xeon", List.of(flags), 4, 8L << 30, kernel,
                qemu, "9.0.0", "kvm_intel", Map.of("nested", "Y"), new KvmStatus(KvmStatus.State.USABLE, "ran"));
    }
}
