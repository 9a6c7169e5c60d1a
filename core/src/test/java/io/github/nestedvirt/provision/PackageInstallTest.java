package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.topology.GuestSpec;
import io.github.nestedvirt.topology.TopologyReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real install of qemu and libvirt by {@code packages: {install: true}}: a minimal Debian 12
 * root made with debootstrap from Debian's archive, used as the L1 through {@link ChrootHost}, gets
 * them with apt, libvirtd is started in it, and the provisioner's check of the L1's stack passes
 * there. Opt-in ({@value #PROPERTY}, which scripts/test.sh and so CI set): it downloads about
 * 200 MB from Debian's archive and takes about 2 minutes (docs/performance.md). Maintainer scripts may not start services in the chroot
 * ({@code policy-rc.d}): they would run beside this machine's own; the install's start of
 * libvirtd does it, inside the chroot.
 */
@Tag("libvirt")
class PackageInstallTest {

    static final String PROPERTY = "nvmx.test.realInstall";

    private final LocalHost local = new LocalHost();
    private Path root;

    @AfterEach
    void removeTheRoot() throws Exception {
        if (root == null) {
            return;
        }
        // the daemons the install started in the root, then its mounts, then the files
        local.run("for p in " + Shell.quote(root + "/run/libvirtd.pid") + " " + Shell.quote(root + "/run/virtlogd.pid")
                + "; do [ -f \"$p\" ] && kill \"$(cat \"$p\")\"; done; sleep 2; for m in dev/pts dev sys proc; do"
                + " umount -l " + Shell.quote(root.toString()) + "/$m 2>/dev/null; done; rm -rf --one-file-system "
                + Shell.quote(root.toString()), Duration.ofMinutes(2));
    }

    /** This machine's Debian release, e.g. bookworm, from {@code /etc/os-release}. */
    private static String machineRelease() throws IOException {
        return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("VERSION_CODENAME="))
                .map(l -> l.substring("VERSION_CODENAME=".length()).replace("\"", "")).findFirst()
                .orElseThrow(() -> new IllegalStateException("/etc/os-release names no VERSION_CODENAME: not Debian?"));
    }

    /** The archive this machine's apt reads Debian from: the first source in its sources files. */
    private static String machineArchive() throws IOException {
        Path deb822 = Path.of("/etc/apt/sources.list.d/debian.sources");
        if (Files.isReadable(deb822)) {
            for (String line : Files.readAllLines(deb822)) {
                if (line.startsWith("URIs:")) {
                    return line.substring("URIs:".length()).strip().split("\\s+")[0];
                }
            }
        }
        Path classic = Path.of("/etc/apt/sources.list");
        if (Files.isReadable(classic)) {
            for (String line : Files.readAllLines(classic)) {
                List<String> words = List.of(line.strip().split("\\s+"));
                if (words.get(0).equals("deb")) {
                    // the URI follows the options in [...], if any
                    return words.stream().filter(w -> w.matches("[a-z+]+:.*")).findFirst().orElseThrow();
                }
            }
        }
        return "http://deb.debian.org/debian";
    }

    @Test
    void anL1WithoutQemuAndLibvirtGetsThemFromAptAndLibvirtdRuns() throws Exception {
        assumeTrue(Boolean.getBoolean(PROPERTY), "a real apt install of qemu and libvirt into a debootstrap root"
                + " (several minutes, a few hundred MB from Debian's archive) runs only with -D" + PROPERTY + "=true");
        assumeTrue("root".equals(System.getProperty("user.name")), "chroot and mount need root: run as root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "debootstrap is missing: apt-get install"
                + " debootstrap (scripts/install-deps.sh)");
        root = Files.createTempDirectory(Path.of("/var/tmp"), "nvmx-test-l1-root-");
        long start = System.nanoTime();
        // the release and archive this machine uses: a machine pinned to a mirror or snapshot reaches that one
        run("debootstrap --variant=minbase " + Shell.quote(machineRelease()) + " " + Shell.quote(root.toString()) + " "
                + Shell.quote(machineArchive()), 20);
        double debootstrap = (System.nanoTime() - start) / 1e9;
        Files.copy(Path.of("/etc/resolv.conf"), root.resolve("etc/resolv.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TestGuestImage.writeExecutable(root.resolve("usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 101\n");
        String quoted = Shell.quote(root.toString());
        run("mount -t proc proc " + quoted + "/proc && mount -t sysfs sysfs " + quoted + "/sys && mount --bind /dev "
                + quoted + "/dev && mount -t devpts devpts " + quoted + "/dev/pts", 1);
        ChrootHost l1 = new ChrootHost(root);
        GuestSpec spec = new TopologyReader().read("""
                l1:
                  - name: nvmx-chroot
                    packages: {install: true}
                    l2: [{name: nvmx-chroot-l2}]
                """, "chroot.yaml").l1().get(0);
        assertThat(l1.run("command -v qemu-system-x86_64 libvirtd", Duration.ofSeconds(30)).stdout()).isEmpty();

        long install = System.nanoTime();
        assertThatCode(() -> NestedProvisioner.checkVirtualizationStack("l1[0]", spec, l1, L1EndToEndTest.PRINT))
                .doesNotThrowAnyException();
        double installSeconds = (System.nanoTime() - install) / 1e9;

        // qemu runs, and the libvirtd started in the root answers on its socket there
        List<String> lines = l1.run("qemu-system-x86_64 --version | head -1; virsh -c qemu:///system uri;"
                + " virsh -c qemu:///system list --all --name | grep -c . ; libvirtd --version",
                Duration.ofMinutes(1)).orThrow(l1.name()).stdout().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("QEMU emulator version 7.2");
        assertThat(lines.get(1)).isEqualTo("qemu:///system");
        assertThat(lines.get(2)).as("domains in the new libvirt").isEqualTo("0");
        assertThat(lines.get(3)).startsWith("libvirtd (libvirt) 9.0");
        System.out.printf("debootstrap (minbase, bookworm): %.1f s; install of qemu and libvirt with apt and start of"
                + " libvirtd: %.1f s; root %s MB%n", debootstrap, installSeconds,
                local.run("du -sm --one-file-system " + quoted + " | cut -f1", Duration.ofMinutes(1)).stdout().strip());
    }

    private void run(String command, int minutes) throws Exception {
        local.run(command, Duration.ofMinutes(minutes)).orThrow(local.name());
    }
}
