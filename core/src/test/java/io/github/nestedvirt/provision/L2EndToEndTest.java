package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real L2 inside a real L1 (under TCG on this machine's libvirtd): the {@link Provisioner}
 * boots the L1 of {@link TestHypervisorImage} (this machine's qemu and libvirt, through its root
 * file system shared read-only), then creates the L2 in the L1's own libvirt through the relay
 * over the engine's SSH session, waits for the L2's lease on the L1's network and logs in through
 * the L1. A command and the foundation's {@link IoScan} run in the L2; teardown removes the L2
 * through the L1's libvirt, then the L1, and nothing is left on L0.
 *
 * <p>The L2 that comes up runs under KVM in the L1 (the test L1 loads kvm_amd on its emulated CPU),
 * so the provisioner checks the L1's VMX/SVM flag and probes its KVM first, as for a real L2; the
 * L2 that never boots is under TCG inside TCG (emulated twice, slow, but it stops at once).
 */
@Tag("libvirt")
class L2EndToEndTest {


    private LibvirtSession session;
    private String l1;
    private String l2;
    private Path guestDir;
    private Path runDir;

    @BeforeAll
    static void removeLeftoversOfCrashedRuns() throws Exception {
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
    }

    @BeforeEach
    void prepare() throws Exception {
        session = LibvirtSession.open(L1EndToEndTest.URI);
        l1 = TestTopology.uniqueName();
        l2 = l1 + "-2";
        guestDir = TestTopology.guestDirectory("nvmx-test-l2-");
        runDir = guestDir.resolve("run-" + l1);
    }

    @AfterEach
    void close() throws Exception {
        try {
            TestGuestImage.deleteTree(guestDir);
        } finally {
            session.close();
        }
    }

    @Test
    void provisionsAnL2InsideAnL1ThroughItsLibvirtRunsIoScanInItAndTeardownLeavesNothing() throws Exception {
        long build = System.nanoTime();
        TestHypervisorImage image = TestHypervisorImage.get();
        System.out.printf("Test L1 and L2 images built in %.1f s%n", (System.nanoTime() - build) / 1e9);
        Topology topology = new TopologyReader().read(TestTopology.nestedYaml(l1, l2, image, "", guestDir, true, "1G"),
                "nested.yaml");
        ProvisionedTopology provisioned;
        String l2DomainXml;
        String l2Interface;
        String kernelRelease;
        List<Measurement> measurements;
        List<String> domainsInL1;
        TeardownReport report;
        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            long start = System.nanoTime();
            provisioned = new Provisioner(TestTopology.SLOW_NESTED).provision(topology, lifecycle, L1EndToEndTest.PRINT);
            System.out.printf("Provision 1 L1 with 1 L2 (KVM in the TCG L1): %.1f s (L1 ready after %.1f s, L2 after %.1f s more)%n",
                    (System.nanoTime() - start) / 1e9, provisioned.guest(l1).secondsToReady(),
                    provisioned.guest(l2).secondsToReady());
            try (SshHost guest = SshHost.connect(provisioned.sshTarget(l2))) {
                l2Interface = guest.run("ip -4 -o addr show dev eth0", Duration.ofSeconds(60)).orThrow(l2).stdout();
                kernelRelease = guest.run("uname -r", Duration.ofSeconds(60)).orThrow(l2).stdout().strip();
                IoScan scan = new IoScan(IoScan.Parameters.fromPlan(List.of("/"), true, false, 0, 2, 2, 300));
                measurements = scan.measure(guest, Level.L2, Progress.NONE);
            }
            // The L2 is in the L1's own libvirt, seen through a relay of the test's own.
            try (SshHost hypervisor = SshHost.connect(provisioned.sshTarget(l1));
                    RemoteLibvirt libvirt = RemoteLibvirt.open(hypervisor);
                    LibvirtSession inL1 = libvirt.session()) {
                domainsInL1 = inL1.domainNames();
                l2DomainXml = inL1.call("read the L2's XML", c -> c.domainLookupByName(l2).getXMLDesc(0));
            }
            long teardown = System.nanoTime();
            report = lifecycle.tearDown();
            System.out.printf("Teardown of 1 L1 with 1 L2: %.1f s%n", (System.nanoTime() - teardown) / 1e9);
        }

        ProvisionedGuest guest = provisioned.guest(l2);
        assertThat(provisioned.guests()).extracting(ProvisionedGuest::name).containsExactly(l1, l2);
        assertThat(guest.level()).isEqualTo(Level.L2);
        assertThat(guest.via()).isEqualTo(l1);
        assertThat(guest.address()).startsWith(TestHypervisorImage.L1_SUBNET + ".");
        assertThat(l2Interface).contains("inet " + guest.address() + "/");
        assertThat(kernelRelease).isEqualTo(image.kernel().getFileName().toString().substring("vmlinuz-".length()));
        assertThat(domainsInL1).containsExactly(l2);
        // the seed's L2: a KVM guest of its L1, with the L1's CPU passed through
        assertThat(l2DomainXml).contains("<domain type='kvm'").contains("mode='host-passthrough'");
        // Both first logins recorded the one host key both images carry, each under its own address.
        assertThat(Files.readAllLines(guestDir.resolve("known_hosts"))).containsExactlyInAnyOrder(
                provisioned.guest(l1).address() + " " + image.guestImage().hostPublicKey(),
                guest.address() + " " + image.guestImage().hostPublicKey());
        assertThat(measurements).extracting(Measurement::metric).containsExactly("seconds", "throughput");
        for (Measurement measurement : measurements) {
            assertThat(measurement.level()).isEqualTo(Level.L2);
            assertThat(measurement.samples()).hasSize(2).allSatisfy(s -> assertThat(s.value()).isPositive());
            // The L2's whole initramfs was read: at least the files packed into it.
            assertThat(Long.parseLong(measurement.attributes().get("files"))).isGreaterThanOrEqualTo(
                    image.guestImage().files());
            assertThat(measurement.attributes().get("permissionDenied")).isEqualTo("0");
        }
        System.out.printf("io-scan of / in the L2: %s s over %s files%n",
                measurements.get(0).samples().stream().map(s -> s.value()).toList(),
                measurements.get(0).attributes().get("files"));
        // The L2's four resources and the L1's network went through the L1's libvirt and shell,
        // before the L1's own four.
        assertThat(report.complete()).as(report.toText()).isTrue();
        assertThat(report.steps()).hasSize(9);
        assertThat(report.steps().get(4).resource().kind()).isEqualTo(Resource.Kind.NETWORK);
        assertThat(report.steps().subList(0, 5)).allSatisfy(step -> {
            assertThat(step.resource().within()).isEqualTo(l1);
            assertThat(step.outcome()).isEqualTo(TeardownReport.Outcome.REMOVED);
        });
        assertThat(report.steps().subList(5, 9)).allSatisfy(step -> {
            assertThat(step.resource().within()).isNull();
            assertThat(step.outcome()).isEqualTo(TeardownReport.Outcome.REMOVED);
        });
        assertNothingLeft();
    }

    @Test
    void anL2ThatNeverBootsFailsWithTheSerialLogFromInsideItsL1AndTeardownLeavesNothing() throws Exception {
        TestHypervisorImage image = TestHypervisorImage.get();
        // The L2's first process powers it off before any network comes up.
        Topology topology = new TopologyReader().read(TestTopology.nestedYaml(l1, l2, image,
                "rdinit=/bin/busybox -- poweroff -f", guestDir), "nested.yaml");
        Provisioner provisioner = new Provisioner(TestTopology.SLOW_NESTED);

        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            assertThatThrownBy(() -> provisioner.provision(topology, lifecycle, L1EndToEndTest.PRINT))
                    .isInstanceOf(GuestNotReadyException.class)
                    .hasMessageStartingWith(l2 + ": the domain stopped running before it got an address; last "
                            + GuestReadiness.SERIAL_TAIL_LINES + " lines of its serial log /var/log/libvirt/qemu/"
                            + l2 + "-serial.log in root@192.168.122.")
                    .hasMessageContaining("reboot: Power down")
                    .satisfies(e -> System.out.println("An L2 that stops before it is ready: " + e.getMessage()));
            assertThat(TopologyRecord.read(runDir).live()).hasSize(9)
                    .filteredOn(r -> l1.equals(r.within())).extracting(Resource::kind)
                    .containsExactlyInAnyOrder(Resource.Kind.NETWORK, Resource.Kind.VOLUME, Resource.Kind.FILE,
                            Resource.Kind.FILE, Resource.Kind.DOMAIN);
        }

        assertThat(runDir.resolve(ProvisionedTopology.FILE_NAME)).doesNotExist();
        assertNothingLeft();
    }

    @Test
    void anL1WhoseLibvirtDiesWhileItsL2BootsFailsWithWhatTheRelaySawAndTheL1sConsole() throws Exception {
        TestHypervisorImage image = TestHypervisorImage.get();
        Topology topology = new TopologyReader().read(TestTopology.nestedYaml(l1, l2, image, "", guestDir), "nested.yaml");
        Provisioner provisioner = new Provisioner(TestTopology.SLOW_NESTED);
        Pattern ready = Pattern.compile(Pattern.quote(l1) + ": ready after .* s, ssh root@([0-9.]+):22");
        AtomicReference<String> l1Address = new AtomicReference<>();
        AtomicReference<String> killed = new AtomicReference<>();
        // A real fault at a known moment: the L1's libvirtd killed once the L2 runs, before its address is known.
        Progress killLibvirtdInTheL1 = Progress.lines(line -> {
            L1EndToEndTest.PRINT.info(line);
            Matcher matcher = ready.matcher(line);
            if (matcher.matches()) {
                l1Address.set(matcher.group(1));
            }
            if (line.startsWith(l2 + ": started in " + l1)) {
                SshTarget target = SshTarget.of("root", l1Address.get(), 22, image.guestImage().clientKey(),
                        guestDir.resolve("known_hosts"));
                try (SshHost inL1 = SshHost.connect(target)) {
                    killed.set(inL1.run("pkill -9 -x -e libvirtd", Duration.ofSeconds(60)).orThrow(l1).stdout());
                } catch (Exception e) {
                    throw new IllegalStateException("cannot kill libvirtd in " + l1, e);
                }
            }
        });

        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            assertThatThrownBy(() -> provisioner.provision(topology, lifecycle, killLibvirtdInTheL1))
                    .isInstanceOfSatisfying(LibvirtFailedException.class, e -> assertThat(e.connectionLost()).isTrue())
                    .hasMessageStartingWith("qemu+ssh://root@" + l1Address.get() + "/system?no_tty=1: ")
                    .hasMessageContaining("; its SSH relay ended at ")
                    .hasMessageContaining(" UTC: the command on root@" + l1Address.get() + ":22 ")
                    .hasMessageContaining("\nlast " + GuestReadiness.SERIAL_TAIL_LINES + " lines of L1 " + l1
                            + "'s serial log " + guestDir.resolve(l1 + "-serial.log") + ":\n")
                    // the L1's own console: the line its init printed when SSH was up
                    .hasMessageContaining(TestGuestImage.READY_LINE)
                    .satisfies(e -> System.out.println("An L1 whose libvirtd dies under its L2: " + e.getMessage()));
            assertThat(killed.get()).contains("libvirtd killed");
        }

        assertThat(runDir.resolve(ProvisionedTopology.FILE_NAME)).doesNotExist();
        assertNothingLeft();
    }

    /** Nothing of the L1 on L0, and the record says all nine resources (four per guest, L1's network) are removed. */
    private void assertNothingLeft() throws Exception {
        List<String> volumes = L1EndToEndTest.volumes(session);
        assertThat(TopologyRecord.read(runDir).resources()).hasSize(9)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        assertThat(session.find(l1)).isEmpty();
        assertThat(volumes).doesNotContain(l1 + ".qcow2");
        assertThat(guestDir.resolve(l1 + "-serial.log")).doesNotExist();
        assertThat(Path.of(Provisioner.LIBVIRT_QEMU_LOGS, l1 + ".log")).doesNotExist();
    }
}
