package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.provision.TestGuestImage;
import io.github.nestedvirt.provision.TestHypervisorImage;
import io.github.nestedvirt.provision.TestTopology;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Live migration of a real L1 while its L2 runs: the L1 of {@link TestHypervisorImage#onOwnDisk()}
 * (its root on its own disk, backed by a golden image both L0s see) and an L2 in it are provisioned
 * under TCG on this machine's libvirtd; the L1 moves to a {@link SecondLibvirtd} and back, while an
 * SSH session into the L2 (through the L1) measures the downtime; the L2 answers a fresh login after
 * each leg and has not rebooted; teardown removes the L2 through the L1's libvirt, then the L1, and
 * nothing is left on either daemon. With the L2 under the L1's KVM, the same migration is refused
 * for the L1's nested state, and nothing moves.
 */
@Tag("libvirt")
class MigrationL2Test {

    private static final String FIRST_L0 = "qemu:///system";

    private String l1;
    private String l2;
    private Path guestDir;
    private Path runDir;

    @BeforeEach
    void prepare() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "boots guests under qemu:///system: run as root");
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
        l1 = TestTopology.uniqueName();
        l2 = l1 + "-2";
        guestDir = TestTopology.guestDirectory("nvmx-test-migrate-l2-");
        runDir = guestDir.resolve("run-" + l1);
    }

    @AfterEach
    void removeDir() {
        TestGuestImage.deleteTree(guestDir);
    }

    @Test
    void migratesAnL1WithItsL2RunningToAnotherL0AndBackTheL2StaysUpAndTeardownLeavesNothing() throws Exception {
        TestHypervisorImage image = TestHypervisorImage.onOwnDisk();
        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(true)) {
            List<Measurement> measured;
            String bootBefore;
            String bootAfter;
            TeardownReport report;
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                long start = System.nanoTime();
                Topology topology = new TopologyReader().read(TestTopology.nestedYaml(l1, l2, image, "", guestDir),
                        "nested.yaml");
                ProvisionedTopology guests = new Provisioner(TestTopology.SLOW_NESTED).provision(topology, lifecycle,
                        MigrationL1Test.PRINT);
                System.out.printf("Provisioned an L1 on its own disk with an L2: %.1f s%n",
                        (System.nanoTime() - start) / 1e9);
                bootBefore = bootId(guests, l2);
                MigrationBenchmark.Checks checks = MigrationBenchmark.Checks.of(guests, l1);
                assertThat(checks.probe()).isEqualTo(l2);
                assertThat(checks.verify()).containsExactly(l1, l2);
                MigrationRoute route = new MigrationRoute(l1, FIRST_L0, secondL0.uri(),
                        MigrationRoute.Storage.SHARED_UNCHECKED, "tcp://127.0.0.1");

                MigrationBenchmark benchmark = new MigrationBenchmark(LiveMigration.withLibvirt(),
                        guest -> SshHost.connect(guests.sshTarget(guest)), MigrationL1Test.PRINT);

                measured = benchmark.run(route, 1, checks, lifecycle.record());

                bootAfter = bootId(guests, l2);
                assertThat(MigrationL1Test.domainsOn(FIRST_L0)).contains(l1);
                assertThat(secondL0.domains()).doesNotContain(l1);
                report = lifecycle.tearDown();
            }
            for (Measurement m : measured) {
                System.out.printf("Migration of a TCG L1 with its L2 running, there and back: %s %s %s%n", m.metric(),
                        m.samples().stream().map(Sample::value).map(v -> String.format("%.3f", v)).toList(), m.unit());
            }
            assertThat(measured).extracting(Measurement::metric)
                    .containsExactly("seconds", "downtime", "qemu-downtime", "memory-rounds", "memory-sent");
            assertThat(measured).allSatisfy(m -> assertThat(m.samples()).hasSize(2)
                    .allSatisfy(s -> assertThat(s.value()).isPositive()));
            assertThat(measured.get(1).attributes().get("downtimeProbe")).contains(l2);
            // The L2 kept running through both moves: the same boot, not a restart.
            assertThat(bootAfter).isEqualTo(bootBefore).isNotBlank();
            assertThat(report.complete()).as(report.toText()).isTrue();
            assertThat(report.removed()).anySatisfy(r -> {
                assertThat(r.name()).isEqualTo(l2);
                assertThat(r.within()).isEqualTo(l1);
            });
            assertThat(TopologyRecord.read(runDir).live()).isEmpty();
            assertThat(secondL0.domains()).isEmpty();
            assertThat(MigrationL1Test.domainsOn(FIRST_L0)).doesNotContain(l1);
            assertThat(MigrationL1Test.volumesOnFirstL0()).noneMatch(v -> v.startsWith(l1));
        }
    }

    /**
     * The seed's case on a machine without KVM: the L1 runs its L2 under its own KVM (kvm_amd on the
     * L1's emulated CPU), so the L1's vCPU is in guest mode, and this QEMU cannot carry that state
     * across (under KVM it is the kernel's nested state). The destination refuses to load it; the
     * result must say "not supported", and the L1 with its L2 must go on running on the first L0.
     */
    @Test
    void anL1RunningAKvmL2IsRefusedForItsNestedStateAndKeepsRunningWithItsL2OnTheSource() throws Exception {
        TestHypervisorImage image = TestHypervisorImage.onOwnDisk();
        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(true)) {
            TeardownReport report;
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                Topology topology = new TopologyReader().read(
                        TestTopology.nestedYaml(l1, l2, image, "", guestDir, true, "1G"), "nested-kvm.yaml");
                ProvisionedTopology guests = new Provisioner(TestTopology.SLOW_NESTED).provision(topology, lifecycle,
                        MigrationL1Test.PRINT);
                String bootBefore = bootId(guests, l2);
                // a busy L2 keeps its L1's vCPU in guest mode, as a benchmark in the L2 would
                try (SshHost inL2 = SshHost.connect(guests.sshTarget(l2))) {
                    inL2.run("(while :; do :; done) </dev/null >/dev/null 2>&1 &", Duration.ofSeconds(60)).orThrow(l2);
                }
                MigrationRoute route = new MigrationRoute(l1, FIRST_L0, secondL0.uri(),
                        MigrationRoute.Storage.SHARED_UNCHECKED, "tcp://127.0.0.1");

                assertThatThrownBy(() -> LiveMigration.withLibvirt().migrate(route, lifecycle.record()))
                        .isInstanceOf(MigrationRefusedException.class)
                        .hasMessageContaining("not supported on this host")
                        .hasMessageContaining("nested state")
                        .satisfies(e -> assertThat(((MigrationRefusedException) e).refusal().kind())
                                .isEqualTo(MigrationRefusal.Kind.NESTED_STATE_NOT_SUPPORTED))
                        .satisfies(e -> System.out.println("Migration of an L1 running a KVM L2: " + e.getMessage()));

                // nothing moved: the L1 runs on the first L0, and its L2 is the same boot
                assertThat(MigrationL1Test.domainsOn(FIRST_L0)).contains(l1);
                assertThat(secondL0.domains()).isEmpty();
                assertThat(bootId(guests, l2)).isEqualTo(bootBefore);
                assertThat(lifecycle.record().live()).anySatisfy(r -> {
                    assertThat(r.name()).isEqualTo(l1);
                    assertThat(r.where()).isEqualTo(FIRST_L0);
                });
                report = lifecycle.tearDown();
            }
            assertThat(report.complete()).as(report.toText()).isTrue();
            assertThat(TopologyRecord.read(runDir).live()).isEmpty();
            assertThat(MigrationL1Test.domainsOn(FIRST_L0)).doesNotContain(l1);
            assertThat(MigrationL1Test.volumesOnFirstL0()).noneMatch(v -> v.startsWith(l1));
        }
    }

    /** The L2 kernel's id of its current boot: it changes when the L2 restarts. */
    private static String bootId(ProvisionedTopology guests, String guest) throws Exception {
        try (SshHost host = SshHost.connect(guests.sshTarget(guest))) {
            return host.run("cat /proc/sys/kernel/random/boot_id", Duration.ofSeconds(60)).orThrow(guest).stdout().strip();
        }
    }
}
