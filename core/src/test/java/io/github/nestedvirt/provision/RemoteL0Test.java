package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.HostUnreachableException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.GuestSpec;
import io.github.nestedvirt.topology.LibvirtNetwork;
import io.github.nestedvirt.topology.OwnerTag;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.groups.Tuple;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Network;

/**
 * Provisioning on a remote L0, for real: an L1 of {@link TestHypervisorImage}, provisioned here by
 * a first topology, is the L0 of a second topology, which the {@link Provisioner} provisions from
 * this machine over SSH. The second topology's guest (the busybox {@link TestGuestImage}, whose
 * boot files the remote L0 sees at the same paths) is created through the remote L0's libvirt,
 * reached through L0 and torn down; nothing is left there nor here. The same booted remote L0
 * serves the refusal of a wrong host key, and its guest, which has no qemu or libvirt, the refusals
 * of an L1 that cannot run L2s (with and without {@code packages: {install: true}}). The remote
 * L0 runs under TCG and its guest under the remote L0's KVM (kvm_amd on its emulated CPU), as a
 * guest of a real L0 would (docs/performance.md).
 */
@Tag("libvirt")
class RemoteL0Test {


    private LibvirtSession session;
    private String l0;
    private String guest;
    private Path dir;

    @BeforeAll
    static void removeLeftoversOfCrashedRuns() throws Exception {
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
    }

    @BeforeEach
    void prepare() throws Exception {
        session = LibvirtSession.open(L1EndToEndTest.URI);
        l0 = TestTopology.uniqueName();
        guest = l0 + "-2";
        dir = TestTopology.guestDirectory("nvmx-test-remote-l0-");
    }

    @AfterEach
    void close() throws Exception {
        try {
            TestGuestImage.deleteTree(dir);
        } finally {
            session.close();
        }
    }

    @Test
    void provisionsAGuestOnARemoteL0OverSshReachesItThroughL0AndTeardownLeavesNothing() throws Exception {
        TestHypervisorImage image = TestHypervisorImage.get();
        Topology first = new TopologyReader().read(TestTopology.hypervisorYaml(l0, image, dir), "l0.yaml");
        Path firstRun = dir.resolve("run-" + l0);
        Path secondRun = dir.resolve("run-" + guest);
        String address;
        ProvisionedTopology provisioned;
        String commandOutput;
        List<Resource> recorded;
        TeardownReport report;
        List<String> leftInL0;
        String filesLeftInL0;
        try (Lifecycle outer = Lifecycle.open(firstRun)) {
            long boot = System.nanoTime();
            address = new Provisioner(TestTopology.SLOW_NESTED).provision(first, outer, L1EndToEndTest.PRINT).guest(l0).address();
            System.out.printf("Remote L0 (a TCG L1) up in %.1f s%n", (System.nanoTime() - boot) / 1e9);
            try (SshHost remote = SshHost.connect(ProvisionedTopology.read(firstRun).sshTarget(l0));
                    RemoteLibvirt libvirt = RemoteLibvirt.open(remote);
                    LibvirtSession inL0 = libvirt.session()) {
                // An L0 comes with its libvirt network, which the test L1 image does not define.
                String xml = LibvirtNetwork.defaultInsideL1().toXml();
                inL0.call("define and start network default", c -> {
                    Network network = c.networkDefineXML(xml);
                    network.create();
                    network.free();
                    return null;
                });

                refusesAWrongHostKeyOfTheRemoteL0NamingIt(image, address);

                Topology second = new TopologyReader().read(remoteYaml(image, address, dir.resolve("known_hosts")),
                        "remote.yaml");
                try (Lifecycle lifecycle = Lifecycle.open(secondRun)) {
                    long start = System.nanoTime();
                    provisioned = new Provisioner(TestTopology.SLOW_NESTED).provision(second, lifecycle, L1EndToEndTest.PRINT);
                    System.out.printf("Provision 1 L1 on a remote L0 (KVM in a TCG L0): %.1f s%n",
                            (System.nanoTime() - start) / 1e9);
                    try (SshHost reached = SshHost.connect(provisioned.sshTarget(guest))) {
                        commandOutput = reached.run("uname -r; ip -4 -o addr show dev eth0", Duration.ofSeconds(60)).orThrow(guest).stdout();
                    }
                    anL1WithoutQemuAndLibvirtIsRefusedNamingWhatIsMissingAndWithInstallItsUnknownSystemToo(
                            image, provisioned, lifecycle);
                    recorded = lifecycle.record().live();
                    long teardown = System.nanoTime();
                    report = lifecycle.tearDown();
                    System.out.printf("Teardown on a remote L0: %.1f s%n", (System.nanoTime() - teardown) / 1e9);
                }
                leftInL0 = inL0.domainNames();
                filesLeftInL0 = remote.run("ls /var/log/libvirt/qemu/ /var/lib/libvirt/images/", Duration.ofSeconds(30))
                        .orThrow(l0).stdout();
            }
            outer.tearDown();
        }

        ProvisionedGuest l1 = provisioned.guest(guest);
        assertThat(provisioned.l0().address()).isEqualTo(address);
        assertThat(provisioned.l0().level()).isEqualTo(Level.L0);
        assertThat(l1.level()).isEqualTo(Level.L1);
        assertThat(l1.via()).isNull();
        // The guest is on the remote L0's own network: reachable only through it.
        assertThat(l1.address()).startsWith(TestHypervisorImage.L1_SUBNET + ".");
        assertThat(provisioned.sshTarget(guest).via().host()).isEqualTo(address);
        assertThat(commandOutput.lines().findFirst()).contains(
                image.kernel().getFileName().toString().substring("vmlinuz-".length()));
        assertThat(commandOutput).contains("inet " + l1.address() + "/");
        String where = "qemu+ssh://root@" + address + "/system?no_tty=1";
        assertThat(recorded).extracting(Resource::kind, Resource::where).containsExactly(
                Tuple.tuple(Resource.Kind.VOLUME, where),
                Tuple.tuple(Resource.Kind.FILE, "root@" + address + ":22"),
                Tuple.tuple(Resource.Kind.FILE, "root@" + address + ":22"),
                Tuple.tuple(Resource.Kind.DOMAIN, where));
        assertThat(report.complete()).as(report.toText()).isTrue();
        assertThat(report.steps()).hasSize(4).allSatisfy(step ->
                assertThat(step.outcome()).isEqualTo(TeardownReport.Outcome.REMOVED));
        assertThat(TopologyRecord.read(secondRun).live()).isEmpty();
        assertThat(leftInL0).doesNotContain(guest);
        assertThat(filesLeftInL0).doesNotContain(guest);
        // and the remote L0 itself is gone from here
        assertThat(TopologyRecord.read(firstRun).live()).isEmpty();
        assertThat(session.find(l0)).isEmpty();
        assertThat(L1EndToEndTest.volumes(session)).doesNotContain(l0 + ".qcow2");
    }

    /**
     * The busybox guest has neither qemu nor libvirt: asked for an L2, it is refused naming what is
     * missing and the {@code packages} key; with {@code packages: {install: true}} its package
     * manager is looked for, and a system without os-release is refused. Nothing is created in it.
     */
    private void anL1WithoutQemuAndLibvirtIsRefusedNamingWhatIsMissingAndWithInstallItsUnknownSystemToo(
            TestHypervisorImage image, ProvisionedTopology provisioned, Lifecycle lifecycle) throws Exception {
        String yaml = remoteYaml(image, provisioned.l0().address(), dir.resolve("known_hosts"));
        String l2 = """
                    l2:
                      - {name: %s-3, memory: 64M, domainType: qemu, allowTcg: true, tbCache: 16M, keyInjection: image,
                         ssh: {identity: %s}}
                """.formatted(l0, image.guestImage().clientKey());
        GuestSpec withoutInstall = new TopologyReader().read(yaml + l2, "l2.yaml").l1().get(0);
        GuestSpec withInstall = new TopologyReader().read(yaml + "    packages: {install: true}\n" + l2, "install.yaml")
                .l1().get(0);
        OwnerTag owner = OwnerTag.forThisProcess(lifecycle.record().run(), Duration.ofHours(1));
        NestedProvisioner nested = new NestedProvisioner(TestTopology.SLOW_NESTED, g -> new ReentrantLock());
        SshTarget target = provisioned.sshTarget(guest);
        String host = target.displayName();

        assertThatThrownBy(() -> nested.provision("l1[0]", withoutInstall, target, lifecycle, owner,
                L1EndToEndTest.PRINT))
                .isInstanceOf(HostException.class)
                .hasMessageContaining("l1[0].l2: L1 " + guest + " cannot run L2 guests: no qemu-system-x86_64")
                .hasMessageContaining("no libvirtd")
                .hasMessageEndingWith("or let nvmx do it with packages: {install: true} on l1[0]");
        assertThatThrownBy(() -> nested.provision("l1[0]", withInstall, target, lifecycle, owner, L1EndToEndTest.PRINT))
                .isInstanceOf(HostException.class)
                .hasMessage(host + ": l1[0].packages: L1 " + guest + " runs a system without /etc/os-release (ID"
                        + " unknown), whose package manager nvmx does not know (apt, dnf, zypper); install qemu and"
                        + " libvirt in the L1's image instead");
        assertThat(lifecycle.record().live()).as("nothing was created inside the L1")
                .allSatisfy(r -> assertThat(r.within()).isNull());
    }

    /** A remote L0 whose host key is not the one known is refused before anything is recorded. */
    private void refusesAWrongHostKeyOfTheRemoteL0NamingIt(TestHypervisorImage image, String address) throws Exception {
        Path wrongKey = dir.resolve("other_host_key");
        new LocalHost().run(Shell.command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrongKey.toString()),
                Duration.ofSeconds(30)).orThrow("local");
        String[] other = Files.readString(Path.of(wrongKey + ".pub")).strip().split(" ");
        Path knownHosts = Files.writeString(dir.resolve("wrong_known_hosts"), address + " " + other[0] + " " + other[1] + "\n");
        Topology topology = new TopologyReader().read(remoteYaml(image, address, knownHosts), "remote.yaml");
        Path run = dir.resolve("run-wrong-key");
        try (Lifecycle lifecycle = Lifecycle.open(run)) {
            assertThatThrownBy(() -> new Provisioner(TestTopology.SLOW_NESTED).provision(topology, lifecycle, Progress.NONE))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageContaining("l0: cannot reach the remote L0 root@" + address + ":22 over SSH, so nothing"
                            + " was created there")
                    .hasMessageContaining("host key")
                    .hasMessageContaining(knownHosts.toString());
        }
        assertThat(TopologyRecord.read(run).resources()).isEmpty();
    }

    /** The busybox guest on the remote L0 at {@code address}, whose host key is in {@code knownHosts}. */
    private String remoteYaml(TestHypervisorImage image, String address, Path knownHosts) {
        TestGuestImage busybox = image.guestImage();
        return """
                l0:
                  uri: qemu:///system
                  ssh: {host: %1$s, identity: %2$s, knownHosts: %3$s}
                l1:
                  - name: %4$s
                    vcpus: 1
                    memory: 256M
                    domainType: kvm
                    network: {network: default}
                    disk: {format: qcow2, size: 64M, pool: default}
                    keyInjection: image
                    boot: {kernel: %5$s, initrd: %6$s, cmdline: quiet no_timer_check}
                    ssh: {identity: %2$s, knownHosts: %7$s, acceptNewHostKey: true}
                """.formatted(address, busybox.clientKey(), knownHosts, guest, image.kernel(), busybox.initrd(),
                dir.resolve("known_hosts"));
    }
}
