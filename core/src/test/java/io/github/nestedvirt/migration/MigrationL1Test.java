package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.provision.TestGuestImage;
import io.github.nestedvirt.provision.TestTopology;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.StoragePool;

/**
 * Live migration of a real L1 between two real L0s on this machine: the L1 of
 * {@link TestGuestImage} boots under TCG on this machine's libvirtd and moves to a
 * {@link SecondLibvirtd} and back, with shared storage and with a storage copy; a client's SSH
 * session measures the downtime, a fresh SSH login proves the guest alive afterwards, and teardown
 * finds the guest through {@code topology.json} wherever it went and leaves nothing on either daemon.
 */
@Tag("libvirt")
class MigrationL1Test {

    private static final String FIRST_L0 = "qemu:///system";
    /** QEMU sends the memory over loopback: both daemons share this machine's network. */
    private static final String OVER_LOOPBACK = "tcp://127.0.0.1";
    /** Prints the engine's steps into the test's output. */
    static final Progress PRINT = new Progress() {
        @Override
        public void run(String task, int index, int planned, int cap, Duration elapsed) {
        }

        @Override
        public void info(String message) {
            System.out.println("  " + message);
        }
    };

    private String name;
    private Path guestDir;
    private Path runDir;

    @BeforeAll
    static void needsLibvirtd() {
        assumeTrue("root".equals(System.getProperty("user.name")), "boots a guest under qemu:///system: run as root");
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
    }

    @BeforeEach
    void prepare() throws Exception {
        // The naming of the provisioning tests, whose clean-up also finds leftovers of a killed run.
        name = "nvmx-test-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        guestDir = Files.createTempDirectory("nvmx-test-migrate-");
        Files.setPosixFilePermissions(guestDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        runDir = guestDir.resolve("run-" + name);
    }

    @AfterEach
    void removeDir() {
        TestGuestImage.deleteTree(guestDir);
    }

    /** New guests for a second attempt: a new name and folder, the first attempt's folder gone. */
    private void renew() throws Exception {
        removeDir();
        prepare();
    }

    /** One attempt at a test's scenario: it provisions, migrates, checks and tears down. */
    @FunctionalInterface
    interface Scenario {
        void run() throws Exception;
    }

    /**
     * Runs the scenario, and once more with new guests when the migrated guest's kernel crashed on
     * its new L0: the engine found the panic on its serial console and says so (a
     * {@link GuestCrashedException}). Under TCG on a loaded machine an L1 panicked so after about one
     * migration in ten (list corruption in the interrupt of the config change virtio-net signals
     * after a move; see docs/performance.md): the guest's state did not survive the emulator's move,
     * not the engine's doing. That the engine names the crash is what is checked then; a second
     * crash fails the test.
     */
    static void againIfTheGuestCrashed(Scenario scenario, Scenario renew) throws Exception {
        try {
            scenario.run();
        } catch (GuestCrashedException crashed) {
            assertThat(crashed).hasMessageContaining("its kernel crashed on ");
            assertThat(crashed.crash().message()).isNotBlank();
            System.out.println("The migrated guest crashed on its new L0, and the engine says so: "
                    + crashed.getMessage() + "; the scenario runs once more with new guests");
            renew.run();
            scenario.run();
        }
    }

    @Test
    void migratesAnL1ToAnotherL0AndBackAliveWithItsDowntimeAndTeardownFindsItThere() throws Exception {
        againIfTheGuestCrashed(this::migrateThereAndBackThenOneWay, this::renew);
    }

    private void migrateThereAndBackThenOneWay() throws Exception {
        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(true)) {
            MigrationRoute route = new MigrationRoute(name, FIRST_L0, secondL0.uri(),
                    MigrationRoute.Storage.SHARED_UNCHECKED, OVER_LOOPBACK);
            TeardownReport report;
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                MigrationBenchmark benchmark = provision(lifecycle);
                MigrationBenchmark.Checks checks = new MigrationBenchmark.Checks(name, List.of(name));
                // libvirt cannot know that both daemons see the same local disk, and refuses by default.
                MigrationRoute checked = new MigrationRoute(name, FIRST_L0, secondL0.uri(), MigrationRoute.Storage.SHARED,
                        OVER_LOOPBACK);
                assertThatThrownBy(() -> benchmark.run(checked, 0, checks, lifecycle.record()))
                        .isInstanceOf(MigrationRefusedException.class)
                        .hasMessageContaining("not supported with this storage: Unsafe migration")
                        .satisfies(e -> System.out.println("Refused for real: " + e.getMessage()));
                assertThat(domainsOn(FIRST_L0)).contains(name);
                assertThat(TopologyRecord.read(runDir).live()).noneMatch(r -> r.where().equals(secondL0.uri()));

                List<Measurement> roundTrip = secondL0.logsIfFailing(name, serialLog(),
                        () -> benchmark.run(route, 1, checks, lifecycle.record()));

                assertThat(roundTrip).extracting(Measurement::metric)
                        .containsExactly("seconds", "downtime", "qemu-downtime", "memory-rounds", "memory-sent");
                assertThat(roundTrip).allSatisfy(m -> {
                    assertThat(m.benchmark()).isEqualTo("migration");
                    assertThat(m.variant()).containsEntry("storage", "shared");
                    assertThat(m.samples()).hasSize(2).allSatisfy(s -> assertThat(s.value()).isPositive());
                });
                double[] seen = roundTrip.get(1).values();
                double[] paused = roundTrip.get(2).values();
                for (int leg = 0; leg < 2; leg++) {
                    // A client cannot hear from a guest while QEMU has it paused: it sees at least that
                    // gap (less the few ms a line already on its way may arrive during the pause).
                    assertThat(seen[leg]).isGreaterThan(paused[leg] - 20);
                    // and the whole migration lasts longer than its switch-over
                    assertThat(roundTrip.get(0).values()[leg] * 1000).isGreaterThan(paused[leg]);
                }
                print("shared storage, there and back", roundTrip);
                assertThat(domainsOn(FIRST_L0)).contains(name);
                assertThat(secondL0.domains()).doesNotContain(name);

                List<Measurement> oneWay = secondL0.logsIfFailing(name, serialLog(),
                        () -> benchmark.run(route, 0, checks, lifecycle.record()));

                assertThat(oneWay.get(0).samples()).hasSize(1);
                assertThat(secondL0.domains()).contains(name);
                assertThat(domainsOn(FIRST_L0)).doesNotContain(name);
                assertThat(TopologyRecord.read(runDir).live()).filteredOn(r -> r.kind() == Resource.Kind.DOMAIN)
                        .singleElement().satisfies(r -> assertThat(r.where()).isEqualTo(secondL0.uri()));
                report = lifecycle.tearDown();
            }
            assertThat(report.complete()).as(report.toText()).isTrue();
            assertThat(report.removed()).anySatisfy(r -> {
                assertThat(r.kind()).isEqualTo(Resource.Kind.DOMAIN);
                assertThat(r.where()).isEqualTo(secondL0.uri());
            });
            assertThat(secondL0.domains()).isEmpty();
            assertThat(domainsOn(FIRST_L0)).doesNotContain(name);
            assertThat(volumesOnFirstL0()).noneMatch(v -> v.startsWith(name));
            assertThat(TopologyRecord.read(runDir).live()).isEmpty();
        }
    }

    @Test
    void copiesTheDiskToAnL0WithoutSharedStorageWithWhatTheGuestWroteOnIt() throws Exception {
        againIfTheGuestCrashed(this::copyTheDisk, this::renew);
    }

    private void copyTheDisk() throws Exception {
        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(false)) {
            MigrationRoute route = new MigrationRoute(name, FIRST_L0, secondL0.uri(), MigrationRoute.Storage.COPY,
                    OVER_LOOPBACK);
            String marker = "nvmx-" + name;
            TeardownReport report;
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                MigrationBenchmark benchmark = provision(lifecycle);
                ProvisionedTopology guests = ProvisionedTopology.read(runDir);
                String volume = TopologyRecord.read(runDir).live().stream()
                        .filter(r -> r.kind() == Resource.Kind.VOLUME).findFirst().orElseThrow().name();
                try (SshHost l1 = SshHost.connect(guests.sshTarget(name))) {
                    l1.run("echo " + marker + " | dd of=/dev/vda conv=fsync 2>/dev/null", Duration.ofSeconds(30))
                            .orThrow(l1.name());
                }

                List<Measurement> measured = secondL0.logsIfFailing(name, serialLog(), () -> benchmark.run(route, 0,
                        new MigrationBenchmark.Checks(name, List.of(name)), lifecycle.record()));

                assertThat(measured.get(0).variant()).containsEntry("storage", "copy");
                print("storage copy, one way", measured);
                assertThat(secondL0.volumes()).containsExactly(volume);
                assertThat(volumesOnFirstL0()).doesNotContain(volume);
                try (SshHost l1 = SshHost.connect(guests.sshTarget(name))) {
                    // the page cache goes, so the line comes from the disk on the second L0
                    String read = l1.run("echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/vda bs=512 count=1 2>/dev/null"
                            + " | head -n 1", Duration.ofSeconds(30)).orThrow(l1.name()).stdout();
                    assertThat(read.strip()).isEqualTo(marker);
                }
                assertThat(TopologyRecord.read(runDir).resources()).filteredOn(r -> r.kind() == Resource.Kind.VOLUME)
                        .extracting(Resource::where, Resource::state).containsExactlyInAnyOrder(
                                tuple(FIRST_L0, Resource.State.REMOVED), tuple(secondL0.uri(), Resource.State.CREATED));
                report = lifecycle.tearDown();
            }
            assertThat(report.complete()).as(report.toText()).isTrue();
            assertThat(secondL0.domains()).isEmpty();
            assertThat(secondL0.volumes()).isEmpty();
            assertThat(domainsOn(FIRST_L0)).doesNotContain(name);
        }
    }

    private MigrationBenchmark provision(Lifecycle lifecycle) throws Exception {
        TestGuestImage image = TestGuestImage.get();
        ProvisionedTopology provisioned = new Provisioner(Provisioner.Settings.defaults())
                .provision(TestTopology.of(List.of(name), image, "", guestDir), lifecycle, PRINT);
        return new MigrationBenchmark(LiveMigration.withLibvirt(),
                guest -> SshHost.connect(provisioned.sshTarget(guest)), PRINT);
    }

    /** Where {@link TestTopology} has the L1's serial console written. */
    private Path serialLog() {
        return guestDir.resolve(name + "-serial.log");
    }

    static List<String> domainsOn(String uri) throws Exception {
        try (LibvirtSession session = LibvirtSession.open(uri)) {
            return session.domainNames();
        }
    }

    static List<String> volumesOnFirstL0() throws Exception {
        try (LibvirtSession session = LibvirtSession.open(FIRST_L0)) {
            return session.call("list volumes", c -> {
                StoragePool pool = c.storagePoolLookupByName("default");
                pool.refresh(0);
                return List.of(pool.listVolumes());
            });
        }
    }

    private static void print(String what, List<Measurement> measurements) {
        for (Measurement m : measurements) {
            System.out.printf("Migration of a TCG L1, %s: %s %s %s%n", what, m.metric(),
                    m.samples().stream().map(Sample::value).map(v -> String.format("%.3f", v)).toList(), m.unit());
        }
    }
}
