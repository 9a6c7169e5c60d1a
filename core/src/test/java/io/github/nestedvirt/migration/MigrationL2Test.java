package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.LibvirtFailedException;
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
 * under TCG on this machine's libvirtd; the L1 moves to a {@link SecondLibvirtd}, while an SSH
 * session into the L2 (through the L1) measures the downtime; the L2 answers a fresh login after the
 * move and has not rebooted; teardown finds the L1 where it went, removes the L2 through the L1's
 * libvirt, then the L1, and nothing is left on either daemon. One way only: {@link MigrationL1Test}
 * covers the way back, and every migration of a loaded TCG L1 risks the guest-memory corruption its
 * {@code againIfTheGuestCrashed} describes. With the L2 under the L1's KVM, the same migration is refused
 * for the L1's nested state, and nothing moves.
 */
@Tag("libvirt")
class MigrationL2Test {

    private static final String FIRST_L0 = "qemu:///system";

    /** Migrations of the L1 with a busy KVM L2 tried until one is refused. */
    private static final int KVM_L2_ATTEMPTS = 3;

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
        if (guestDir != null) { // null when prepare's assumptions did not hold
            TestGuestImage.deleteTree(guestDir);
        }
    }

    @Test
    void migratesAnL1WithItsL2RunningToAnotherL0TheL2StaysUpAndTeardownFindsThemThere() throws Exception {
        MigrationL1Test.againIfTheGuestCrashed(this::migrateOneWay, () -> {
            removeDir();
            prepare();
        });
    }

    private void migrateOneWay() throws Exception {
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

                measured = secondL0.logsIfFailing(l1, guestDir.resolve(l1 + "-serial.log"), () -> benchmark.run(route, 0, checks, lifecycle.record()));

                bootAfter = bootId(guests, l2);
                assertThat(secondL0.domains()).contains(l1);
                assertThat(MigrationL1Test.domainsOn(FIRST_L0)).doesNotContain(l1);
                report = lifecycle.tearDown();
            }
            for (Measurement m : measured) {
                System.out.printf("Migration of a TCG L1 with its L2 running, one way: %s %s %s%n", m.metric(),
                        m.samples().stream().map(Sample::value).map(v -> String.format("%.3f", v)).toList(), m.unit());
            }
            assertThat(measured).extracting(Measurement::metric)
                    .containsExactly("seconds", "downtime", "qemu-downtime", "memory-rounds", "memory-sent");
            assertThat(measured).allSatisfy(m -> assertThat(m.samples()).hasSize(1)
                    .allSatisfy(s -> assertThat(s.value()).isPositive()));
            assertThat(measured.get(1).attributes().get("downtimeProbe")).contains(l2);
            // The L2 kept running through the move: the same boot, not a restart.
            assertThat(bootAfter).isEqualTo(bootBefore).isNotBlank();
            assertThat(report.complete()).as(report.toText()).isTrue();
            assertThat(report.removed()).anySatisfy(r -> {
                assertThat(r.name()).isEqualTo(l2);
                assertThat(r.within()).isEqualTo(l1);
            });
            assertThat(report.removed()).anySatisfy(r -> {
                assertThat(r.name()).isEqualTo(l1);
                assertThat(r.kind()).isEqualTo(Resource.Kind.DOMAIN);
                assertThat(r.where()).isEqualTo(secondL0.uri());
            });
            assertThat(TopologyRecord.read(runDir).live()).isEmpty();
            assertThat(secondL0.domains()).isEmpty();
            assertThat(MigrationL1Test.domainsOn(FIRST_L0)).doesNotContain(l1);
            assertThat(MigrationL1Test.volumesOnFirstL0()).noneMatch(v -> v.startsWith(l1));
        }
    }

    /**
     * The seed's case on a machine without KVM: the L1 runs its L2 under its own KVM (kvm_amd on the
     * L1's emulated CPU). When the switch-over finds an L1 vCPU in guest mode (running the L2), this
     * QEMU cannot carry that state across (under KVM it is the kernel's nested state) and the
     * destination refuses it: the result must say "not supported", and the L1 with its L2 must go on
     * running where it was. A busy L2 makes that likely, not certain: a switch-over between two of
     * the L2's exits moves the L1, and then the L2 must have moved with it, the same boot. So the L1
     * goes back and forth until refused, at most {@value #KVM_L2_ATTEMPTS} times. On a loaded machine the
     * source may see its stream cut before the destination's reason arrives ("job 'migration out'
     * unexpectedly failed"): the engine then says where the reason is written, and the test goes on.
     * Every outcome keeps the L2, and teardown leaves nothing on either daemon.
     */
    @Test
    void anL1RunningAKvmL2IsRefusedForItsNestedStateOrMovesWithItAndNeverLosesIt() throws Exception {
        TestHypervisorImage image = TestHypervisorImage.onOwnDisk();
        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(true)) {
            TeardownReport report;
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                Topology topology = new TopologyReader().read(
                        TestTopology.nestedYaml(l1, l2, image, "", guestDir, true, "1G"), "nested-kvm.yaml");
                ProvisionedTopology guests = new Provisioner(TestTopology.SLOW_NESTED).provision(topology, lifecycle,
                        MigrationL1Test.PRINT);
                String bootBefore = bootId(guests, l2);
                // a busy L2 keeps its L1's vCPU in guest mode most of the time, as a benchmark in the L2 would
                try (SshHost inL2 = SshHost.connect(guests.sshTarget(l2))) {
                    inL2.run("(while :; do :; done) </dev/null >/dev/null 2>&1 &", Duration.ofSeconds(60)).orThrow(l2);
                }
                String where = FIRST_L0;
                MigrationRefusedException refused = null;
                for (int attempt = 1; attempt <= KVM_L2_ATTEMPTS && refused == null; attempt++) {
                    String to = where.equals(FIRST_L0) ? secondL0.uri() : FIRST_L0;
                    MigrationRoute route = new MigrationRoute(l1, where, to, MigrationRoute.Storage.SHARED_UNCHECKED,
                            "tcp://127.0.0.1");
                    try {
                        LiveMigration.withLibvirt().migrate(route, lifecycle.record());
                        System.out.printf("Attempt %d: the L1 moved to %s with its KVM L2 (no vCPU in guest mode at "
                                + "the switch-over)%n", attempt, to);
                        where = to;
                    } catch (MigrationRefusedException e) {
                        refused = e;
                        System.out.printf("Attempt %d: %s%n", attempt, e.getMessage());
                    } catch (LibvirtFailedException e) {
                        // The same refusal, raced: the source QEMU saw its stream cut before the
                        // destination's reason reached libvirt. The engine must say where the reason
                        // is and keep the L1 on the source, as checked below.
                        assertThat(e).hasMessageContaining("unexpectedly failed")
                                .hasMessageContaining("the guest stays on " + where)
                                .hasMessageContaining("/var/log/libvirt/qemu/" + l1 + ".log");
                        System.out.printf("Attempt %d: failed without the destination's reason: %s%n", attempt,
                                e.getMessage());
                        secondL0.printLogsOf(l1, guestDir.resolve(l1 + "-serial.log"));
                    }
                    String here = where;
                    String there = here.equals(FIRST_L0) ? secondL0.uri() : FIRST_L0;
                    assertThat(MigrationL1Test.domainsOn(here)).contains(l1);
                    assertThat(MigrationL1Test.domainsOn(there)).doesNotContain(l1);
                    assertThat(lifecycle.record().live()).anySatisfy(r -> {
                        assertThat(r.name()).isEqualTo(l1);
                        assertThat(r.where()).isEqualTo(here);
                    });
                    // moved or not, the L2 runs on in the same boot
                    assertThat(bootId(guests, l2)).isEqualTo(bootBefore);
                }
                if (refused != null) {
                    assertThat(refused).hasMessageContaining("not supported on this host")
                            .hasMessageContaining("nested state");
                    assertThat(refused.refusal().kind()).isEqualTo(MigrationRefusal.Kind.NESTED_STATE_NOT_SUPPORTED);
                } else {
                    System.out.printf("Never refused in %d attempts: every switch-over found the L1 outside its L2%n",
                            KVM_L2_ATTEMPTS);
                }
                report = lifecycle.tearDown();
            }
            assertThat(report.complete()).as(report.toText()).isTrue();
            assertThat(TopologyRecord.read(runDir).live()).isEmpty();
            assertThat(secondL0.domains()).isEmpty();
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
