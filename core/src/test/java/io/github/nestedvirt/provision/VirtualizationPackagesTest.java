package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.provision.VirtualizationPackages.Manager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which package manager installs qemu and libvirt in an L1, from its {@code /etc/os-release}:
 * this machine's own file, and the fields other distributions ship (as their os-release files
 * have them).
 */
class VirtualizationPackagesTest {

    @Test
    void thisDebianMachineIsInstalledWithApt() throws Exception {
        Map<String, String> fields = VirtualizationPackages.osRelease(Files.readString(Path.of("/etc/os-release")));

        assertThat(fields).containsEntry("ID", "debian").containsKey("PRETTY_NAME");
        assertThat(fields.get("PRETTY_NAME")).startsWith("Debian GNU/Linux");
        assertThat(VirtualizationPackages.managerOf(fields)).contains(Manager.APT);
    }

    @Test
    void otherDistributionsByIdOrIdLike() {
        assertThat(manager("ID=ubuntu\nID_LIKE=debian\n")).isEqualTo(Manager.APT);
        assertThat(manager("ID=fedora\nVERSION_ID=41\n")).isEqualTo(Manager.DNF);
        assertThat(manager("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n")).isEqualTo(Manager.DNF);
        assertThat(manager("ID=\"opensuse-tumbleweed\"\nID_LIKE=\"opensuse suse\"\n")).isEqualTo(Manager.ZYPPER);
        assertThat(manager("ID=\"sles\"\nID_LIKE=\"suse\"\n")).isEqualTo(Manager.ZYPPER);
        // a derivative nvmx does not know by name, found by what it is like
        assertThat(manager("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n")).isEqualTo(Manager.APT);
        assertThat(VirtualizationPackages.managerOf(VirtualizationPackages.osRelease("ID=alpine\n"))).isEmpty();
        assertThat(VirtualizationPackages.managerOf(VirtualizationPackages.osRelease(""))).isEmpty();
    }

    @Test
    void quotedValuesCommentsAndBlankLinesAreReadAsTheShellWould() {
        Map<String, String> fields = VirtualizationPackages.osRelease("""
                # written by the vendor
                NAME='Some Linux'

                PRETTY_NAME="Some \\"quoted\\" Linux"
                ID=some
                """);

        assertThat(fields).containsExactly(Map.entry("NAME", "Some Linux"),
                Map.entry("PRETTY_NAME", "Some \"quoted\" Linux"), Map.entry("ID", "some"));
    }

    @Test
    void everyCommandInstallsWithoutQuestions() {
        assertThat(Manager.APT.install()).contains("DEBIAN_FRONTEND=noninteractive").contains("apt-get install -y")
                .contains("qemu-system-x86").contains("libvirt-daemon-system");
        assertThat(Manager.DNF.install()).startsWith("dnf install -y ");
        assertThat(Manager.ZYPPER.install()).startsWith("zypper --non-interactive install ");
    }

    private static Manager manager(String osRelease) {
        return VirtualizationPackages.managerOf(VirtualizationPackages.osRelease(osRelease)).orElseThrow();
    }
}
