package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.provision.LibvirtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What libvirt tells of an L0 known only by its URI, and the refusals decided from it. */
class L0FactsTest {

    @Test
    @Tag("libvirt")
    void thisMachinesLibvirtTellsItsQemuLibvirtKernelAndCpuAndTwoSuchL0sMayTry() throws Exception {
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
        LocalHost local = new LocalHost();
        HostFacts here;
        try (LibvirtSession session = LibvirtSession.open("qemu:///system")) {
            here = L0Facts.of(session);
        }

        // what the installed programs say of themselves, e.g. "QEMU emulator version 7.2.22 (Debian ...)"
        assertThat(local.run("qemu-system-x86_64 --version", Duration.ofSeconds(30)).stdout())
                .contains("version " + here.qemuVersion() + " ");
        assertThat(local.run("libvirtd --version", Duration.ofSeconds(30)).stdout().strip())
                .endsWith(" " + here.libvirtVersion());
        assertThat(here.kernel()).isEqualTo(local.run("uname -r", Duration.ofSeconds(30)).stdout().strip());
        assertThat(here.cpuVendor()).isNotBlank();
        assertThat(here.cpuFlags()).isNotEmpty();
        assertThat(here.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());

        try (SecondLibvirtd other = SecondLibvirtd.start(true)) {
            assertThat(L0Facts.reasonsAgainst(new MigrationRoute("any", "qemu:///system", other.uri(),
                    MigrationRoute.Storage.SHARED, null))).isEmpty();
        }
    }

    @Test
    @Tag("libvirt")
    void anL0WithDebian10sKernelAndQemuIsRefusedByName() throws Exception {
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
        HostFacts here;
        try (LibvirtSession session = LibvirtSession.open("qemu:///system")) {
            here = L0Facts.of(session);
        }
        // Debian 10's Linux 4.19 and QEMU 3.1, on this machine's CPU
        HostFacts buster = new HostFacts(here.level(), "qemu+ssh://root@buster/system", "buster", here.cpuVendor(),
                here.cpuModel(), here.cpuFlags(), here.cpus(), here.memoryBytes(), "4.19.0-27-amd64", "3.1.0", "5.0.0",
                null, here.kvmParameters(), here.kvm());

        assertThat(MigrationSupport.reasonsAgainst(here, buster)).containsExactly(
                "qemu+ssh://root@buster/system: kernel 4.19.0-27-amd64 is older than 5.3, which cannot migrate the state "
                        + "of a running L2 (KVM_CAP_NESTED_STATE)",
                "qemu+ssh://root@buster/system: QEMU 3.1.0 is older than 4.2, which cannot migrate a guest hypervisor "
                        + "with a running L2");
    }

    @Test
    void libvirtsVersionNumbersAndWhichUrisAreThisMachine() {
        assertThat(L0Facts.version(9_000_000)).isEqualTo("9.0.0");
        assertThat(L0Facts.version(7_002_022)).isEqualTo("7.2.22");
        assertThat(L0Facts.isThisMachine("qemu:///system")).isTrue();
        assertThat(L0Facts.isThisMachine("qemu:///system?socket=/tmp/x/libvirt-sock")).isTrue();
        assertThat(L0Facts.isThisMachine("qemu+ssh://root@l0b/system")).isFalse();
        assertThat(L0Facts.values("<capabilities><host><cpu><feature name='vmx'/><feature name='ept'/></cpu></host>"
                + "</capabilities>", "/capabilities/host/cpu/feature/@name")).isEqualTo(List.of("vmx", "ept"));
    }
}
