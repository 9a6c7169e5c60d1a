package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.TestGuestImage;
import io.github.nestedvirt.provision.TestHypervisorImage;
import io.github.nestedvirt.provision.TestTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.StoragePool;

/** {@code nvmx provision}: bad input refused with file, line and field; a real L1 left running for {@code nvmx teardown}. */
class NvmxProvisionTest {

    @TempDir
    Path temp;

    @Test
    void aWrongValueIsReportedWithFileLineAndFieldAndNothingIsRecorded() throws Exception {
        Path topology = Files.writeString(temp.resolve("lab.yaml"), """
                l1:
                  - name: l1
                    disk: {format: vmdk}
                """);
        NvmxCall call = NvmxCall.of("provision", topology.toString(), "--run-dir", temp.resolve("run").toString());
        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains(topology + ":3:").contains("l1[0].disk.format");
        assertThat(temp.resolve("run")).doesNotExist();
    }

    @Test
    void whatCannotBeProvisionedYetIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path topology = Files.writeString(temp.resolve("lab.yaml"), """
                l1:
                  - name: l1
                    keyInjection: image
                    network: {network: default}
                    ssh: {identity: /etc/hostname}
                    l2:
                      - name: l2
                """);
        NvmxCall call = NvmxCall.of("provision", topology.toString(), "--run-dir", temp.resolve("run").toString());
        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("l1[0].l2[0].keyInjection: cloud-init seed images are made for L1s only");
        assertThat(TopologyRecord.read(temp.resolve("run")).resources()).isEmpty();
    }

    @Test
    void aParallelismBelowOneIsRefused() throws Exception {
        NvmxCall call = NvmxCall.of("provision", "x.yaml", "--run-dir", temp.resolve("run").toString(), "--parallel", "0");
        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("--parallel: must be at least 1, not 0");
        assertThat(temp.resolve("run")).doesNotExist();
    }

    @Test
    void aBadExpiryIsRefused() throws Exception {
        NvmxCall call = NvmxCall.of("provision", "x.yaml", "--run-dir", temp.toString(), "--expires", "soon");
        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("'soon' is not a duration; use e.g. 90m, 24h or 2d");
    }

    @Test
    @Tag("libvirt")
    void provisionLeavesAnL1ThatAnswersSshAtThePrintedAddressAndTeardownRemovesEverything() throws Exception {
        TestGuestImage image = realGuestImage(temp);
        String name = guestName();
        Path topology = Files.writeString(temp.resolve("lab.yaml"), TestTopology.yaml(List.of(name), image, "", temp));
        Path runDir = temp.resolve("run");

        long start = System.nanoTime();
        NvmxCall provision = NvmxCall.of("provision", topology.toString(), "--run-dir", runDir.toString(),
                "--expires", "1h");
        System.out.printf("nvmx provision of 1 L1: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(provision.exitCode()).as(provision.err()).isEqualTo(ExitCode.OK);
        Matcher line = Pattern.compile("(?m)^L1 " + Pattern.quote(name) + " (\\S+) ssh root@(\\S+):22 ").matcher(provision.out());
        assertThat(line.find()).as(provision.out()).isTrue();
        String address = line.group(1);
        assertThat(line.group(2)).isEqualTo(address);
        assertThat(provision.out()).contains("nvmx teardown " + runDir);

        // The guest outlived the command: log in at the printed address with the topology's key.
        SshTarget target = SshTarget.of("root", address, 22, image.clientKey(), temp.resolve("known_hosts"));
        try (SshHost l1 = SshHost.connect(target)) {
            assertThat(l1.run("cat /proc/cmdline", Duration.ofSeconds(30)).orThrow(name).stdout())
                    .contains("console=ttyS0,115200");
        }
        assertThat(ProvisionedTopology.read(runDir).guest(name).address()).isEqualTo(address);

        start = System.nanoTime();
        NvmxCall teardown = NvmxCall.of("teardown", runDir.toString());
        System.out.printf("nvmx teardown of 1 L1: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(teardown.exitCode()).as(teardown.err()).isEqualTo(ExitCode.OK);
        assertThat(teardown.out()).contains("removed domain " + name + " on qemu:///system")
                .contains("removed volume default/" + name + ".qcow2");

        assertNothingLeft(name, runDir);
    }

    /**
     * An L1 with an L2 inside (under KVM in the TCG L1, about 2 minutes): {@code nvmx provision} prints the L2 at
     * its address in the L1's network, reached through the L1, and leaves both running. A later
     * {@code nvmx teardown}, with none of the provisioning process's connections, cannot open the
     * L1's libvirt ({@code qemu+ssh} with the system ssh, which does not know the L1's host key): the
     * L2's resources are removed with their L1, said so, and nothing is left.
     */
    @Test
    @Tag("libvirt")
    void provisionBringsUpAnL2InsideItsL1AndALaterTeardownRemovesItWithTheL1() throws Exception {
        realGuestImage(temp);
        TestHypervisorImage image = TestHypervisorImage.get();
        String l1 = guestName();
        String l2 = l1 + "-2";
        Path topology = Files.writeString(temp.resolve("nested.yaml"), TestTopology.nestedYaml(l1, l2, image, "", temp, true, "1G"));
        Path runDir = temp.resolve("run");

        long start = System.nanoTime();
        NvmxCall provision = NvmxCall.of("provision", topology.toString(), "--run-dir", runDir.toString(),
                "--expires", "1h");
        System.out.printf("nvmx provision of 1 L1 with 1 L2: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertThat(provision.exitCode()).as(provision.err()).isEqualTo(ExitCode.OK);
        Matcher line = Pattern.compile("(?m)^L2 " + Pattern.quote(l2) + " (\\S+) ssh root@(\\S+):22 via root@(\\S+):22 ")
                .matcher(provision.out());
        assertThat(line.find()).as(provision.out()).isTrue();
        assertThat(line.group(1)).startsWith(TestHypervisorImage.L1_SUBNET + ".").isEqualTo(line.group(2));
        assertThat(line.group(3)).isEqualTo(ProvisionedTopology.read(runDir).guest(l1).address());
        try (SshHost guest = SshHost.connect(ProvisionedTopology.read(runDir).sshTarget(l2))) {
            assertThat(guest.run("ip -4 -o addr show dev eth0", Duration.ofSeconds(60)).orThrow(l2).stdout())
                    .contains("inet " + line.group(1) + "/");
        }

        NvmxCall teardown = NvmxCall.of("teardown", runDir.toString());
        assertThat(teardown.exitCode()).as(teardown.err()).isEqualTo(ExitCode.OK);
        assertThat(teardown.out()).contains("removed with L1 " + l1 + ": domain " + l2 + " on qemu+ssh://root@")
                .contains("removed domain " + l1 + " on qemu:///system");
        assertThat(TopologyRecord.read(runDir).resources()).hasSize(9)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        try (LibvirtSession libvirt = LibvirtSession.open("qemu:///system")) {
            assertThat(libvirt.find(l1)).isEmpty();
        }
    }

    @Test
    @Tag("libvirt")
    void sigtermWhileWaitingForTheGuestTearsDownWhatWasCreated() throws Exception {
        TestGuestImage image = realGuestImage(temp);
        String name = guestName();
        Path topology = Files.writeString(temp.resolve("lab.yaml"), TestTopology.yaml(List.of(name), image, "", temp));
        Path runDir = temp.resolve("run");
        Path stderr = temp.resolve("stderr.txt");
        Process nvmx = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Nvmx.class.getName(),
                "provision", topology.toString(), "--run-dir", runDir.toString())
                .redirectError(stderr.toFile()).redirectOutput(temp.resolve("stdout.txt").toFile()).start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.readString(stderr).contains(name + ": started, waiting for its address")) {
                assertThat(nvmx.isAlive()).as("nvmx still running; its stderr: %s", Files.readString(stderr)).isTrue();
                assertThat(Instant.now()).as("the guest was started").isBefore(deadline);
                Thread.sleep(100);
            }
            nvmx.destroy(); // SIGTERM
            assertThat(nvmx.waitFor(60, TimeUnit.SECONDS)).as("nvmx ended within 60 s of SIGTERM").isTrue();
        } finally {
            nvmx.destroyForcibly();
        }
        assertThat(runDir.resolve(ProvisionedTopology.FILE_NAME)).doesNotExist();
        assertNothingLeft(name, runDir);
    }

    private void assertNothingLeft(String name, Path runDir) throws Exception {
        assertThat(TopologyRecord.read(runDir).resources()).hasSize(4)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        try (LibvirtSession libvirt = LibvirtSession.open("qemu:///system")) {
            assertThat(libvirt.find(name)).isEmpty();
            List<String> volumes = libvirt.call("list volumes", c -> {
                StoragePool pool = c.storagePoolLookupByName("default");
                try {
                    pool.refresh(0);
                    return List.of(pool.listVolumes());
                } finally {
                    pool.free();
                }
            });
            assertThat(volumes).doesNotContain(name + ".qcow2");
        }
        assertThat(temp.resolve(name + "-serial.log")).doesNotExist();
        assertThat(Path.of("/var/log/libvirt/qemu", name + ".log")).doesNotExist();
    }

    /** The test L1's image, on a machine that can boot it: root, libvirtd running, {@code temp} readable by qemu. */
    static TestGuestImage realGuestImage(Path temp) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "boots a guest under qemu:///system: run as root");
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
        // qemu runs as libvirt's qemu user and writes the serial log in here.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        return TestGuestImage.get();
    }

    /** {@code nvmx-test-<pid>-<random>}: the pattern stale-domain cleanup recognizes. */
    static String guestName() {
        return "nvmx-test-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
