package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.Teardown;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.LibvirtDomain;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.result.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * Migrations that cannot happen, against libvirt's test driver ({@code test:///default}, which has
 * no migration): the refusal is reported as "not supported", the guest stays where it was, and the
 * run's record forgets what it had planned on the destination. And one that happens but kills the
 * guest: the benchmark names the crash its serial console shows.
 */
class LiveMigrationTest {

    private static final String SOURCE = "test:///default";
    /** QEMU's words when it cannot migrate a guest hypervisor that runs an L2. */
    private static final String QEMU_NESTED_BLOCKER = "Nested VMX virtualization does not support live migration yet";

    @TempDir
    Path dir;
    private String destination;
    private LibvirtSession keepAlive;

    @BeforeEach
    void secondTestHost() throws Exception {
        // The test driver's state lives while a connection is open; a second one from its own file.
        keepAlive = LibvirtSession.open(SOURCE);
        Path node = Files.writeString(dir.resolve("node.xml"), "<node/>");
        destination = "test://" + node;
    }

    @AfterEach
    void close() {
        keepAlive.close();
    }

    @Test
    void aDriverWithoutMigrationIsReportedAsNotSupportedAndTheRecordForgetsTheDestination() throws Exception {
        TopologyRecord record = recordOfRunningTestDomain();

        assertThatThrownBy(() -> LiveMigration.withLibvirt().migrate(
                new MigrationRoute("test", SOURCE, destination, MigrationRoute.Storage.SHARED, null), record))
                .isInstanceOf(MigrationRefusedException.class)
                .hasMessageStartingWith(destination + ": not supported on this host: libvirt cannot live-migrate here")
                .satisfies(e -> assertThat(((MigrationRefusedException) e).refusal().kind())
                        .isEqualTo(MigrationRefusal.Kind.DRIVER_CANNOT_MIGRATE))
                .satisfies(e -> System.out.println("A refused migration: " + e.getMessage()));

        assertStillOnSource(record);
    }

    @Test
    void qemusNestedMigrationBlockerIsReportedAsNotSupportedSimulated() throws Exception {
        // QEMU only says this with a real L2 in a KVM L1, which TCG cannot give us: a real libvirt
        // call that fails with those words stands in for the migration.
        LiveMigration migration = new LiveMigration(
                (guest, to, parameters, flags) -> {
                    to.networkLookupByName(QEMU_NESTED_BLOCKER);
                    return guest;
                }, Teardown.fromThisMachine());
        TopologyRecord record = recordOfRunningTestDomain();

        assertThatThrownBy(() -> migration.migrate(new MigrationRoute("test", SOURCE, destination, MigrationRoute.Storage.SHARED, null), record))
                .isInstanceOf(MigrationRefusedException.class)
                .hasMessageContaining("not supported on this host: QEMU cannot migrate an L1 while it runs an L2")
                .satisfies(e -> assertThat(((MigrationRefusedException) e).refusal().kind())
                        .isEqualTo(MigrationRefusal.Kind.NESTED_STATE_NOT_SUPPORTED));

        assertStillOnSource(record);
    }

    @Test
    void aGuestWhoseKernelPanickedOnTheDestinationIsReportedAsCrashedWithThePanicSimulated() throws Exception {
        // A TCG L1 that panicked after a real migration (its console, kept from a test run) on a
        // destination that runs it: the test driver cannot migrate, so the call hands over the
        // destination's own domain, and the login that cannot reach a dead guest fails.
        Path console = dir.resolve("test-serial.log");
        Files.copy(LiveMigrationTest.class.getResourceAsStream("/io/github/nestedvirt/migration/"
                + "l1-serial-panic-after-migration.txt"), console);
        String to = destinationRunning(console);

        assertThatThrownBy(migratingToAGuestNoLoginReaches(to, "cannot connect to 192.168.122.207:22: No route to host"))
                .isInstanceOf(GuestCrashedException.class)
                .hasMessageStartingWith("test: its kernel crashed on " + to + " after the migration of test")
                .hasMessageContaining("its serial console (" + console + ") shows 'Kernel panic - not syncing: "
                        + "Fatal exception in interrupt' at 'RIP: 0010:__list_add_valid.cold+0x4b/0x5b'")
                .hasMessageEndingWith("the guest is lost there (test: cannot connect to 192.168.122.207:22: No "
                        + "route to host)")
                .satisfies(e -> System.out.println("A guest lost after migration: " + e.getMessage()));
    }

    @Test
    void aLostGuestWhoseConsoleShowsNoCrashDoesNotAnswerSimulated() throws Exception {
        Path console = Files.writeString(dir.resolve("test-serial.log"), "[    1.000000] Run /init as init process\n");
        String to = destinationRunning(console);

        assertThatThrownBy(migratingToAGuestNoLoginReaches(to, "cannot connect: Connection timed out"))
                .isInstanceOf(HostException.class)
                .isNotInstanceOf(GuestCrashedException.class)
                .hasMessageStartingWith("test: does not answer after the migration of test");
    }

    @Test
    void theSerialConsoleIsTheFirstSerialPortsLogOrFile() {
        assertThat(LiveMigration.serialLogFile("""
                <domain><devices><disk device='disk'><source file='/images/l1.qcow2'/></disk>
                  <serial type='pty'><source path='/dev/pts/3'/><log file='/var/log/l1-serial.log' append='off'/>
                  <target port='0'/></serial>
                  <serial type='file'><source path='/var/log/second.log'/></serial>
                </devices></domain>""")).contains("/var/log/l1-serial.log");
        assertThat(LiveMigration.serialLogFile("""
                <domain><devices><serial type='file'><source path='/var/log/l1.log'/></serial></devices></domain>
                """)).contains("/var/log/l1.log");
        // a pty without a log: nothing on disk to read
        assertThat(LiveMigration.serialLogFile("""
                <domain><devices><serial type='pty'><source path='/dev/pts/3'/></serial>
                  <serial type='file'><source path='/var/log/second.log'/></serial></devices></domain>
                """)).isEmpty();
        assertThat(LiveMigration.serialLogFile("<domain><devices/></domain>")).isEmpty();
    }

    /** A test-driver L0 already running the guest "test" with its console written to {@code console}. */
    private String destinationRunning(Path console) throws Exception {
        Path node = Files.writeString(dir.resolve("destination.xml"), """
                <node><domain type='test'><name>test</name><memory>65536</memory><os><type>hvm</type></os>
                  <devices><serial type='pty'><log file='%s' append='off'/><target port='0'/></serial></devices>
                </domain></node>""".formatted(console));
        return "test://" + node;
    }

    /**
     * The benchmark moving "test" one way to {@code to}, where the migration's call finds it (the
     * test driver has no migration), and every login after it failing with {@code loginError}.
     */
    private ThrowingCallable migratingToAGuestNoLoginReaches(String to, String loginError) {
        LiveMigration arrivingAsIs = new LiveMigration((guest, destination, parameters, flags) ->
                destination.domainLookupByName(guest.getName()), Teardown.fromThisMachine());
        MigrationBenchmark benchmark = new MigrationBenchmark(arrivingAsIs, guest -> {
            throw new HostException(guest, loginError);
        }, Progress.lines(System.out::println));
        return () -> benchmark.run(new MigrationRoute("test", SOURCE, to, MigrationRoute.Storage.SHARED, null), 0,
                new MigrationBenchmark.Checks(null, List.of("test")), recordOfRunningTestDomain());
    }

    @Test
    void aGuestThatDoesNotRunIsBadInputNamingIt() throws Exception {
        try (LibvirtSession session = LibvirtSession.open(SOURCE)) {
            session.call("define", c -> c.domainDefineXML("<domain type='test'><name>nvmx-stopped</name>"
                    + "<memory>65536</memory><os><type>hvm</type></os></domain>"));
            try {
                assertThatThrownBy(() -> LiveMigration.withLibvirt().migrate(
                        new MigrationRoute("nvmx-stopped", SOURCE, destination, MigrationRoute.Storage.SHARED, null), null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("nvmx-stopped on test:///default is not running; only a running guest is "
                                + "live-migrated (start it first)");
            } finally {
                try (LibvirtDomain stopped = session.find("nvmx-stopped").orElseThrow()) {
                    stopped.undefine();
                }
            }
        }
    }

    @Test
    void theSourceIsNoDestination() {
        assertThatThrownBy(() -> new MigrationRoute("l1", "qemu:///system", "qemu:///system", MigrationRoute.Storage.SHARED, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is the source URI");
    }

    @Test
    void theDisksToCopyAreTheDisksOwnFilesNotBackingFilesOrCdroms() {
        String xml = """
                <domain type='kvm'><devices>
                  <disk type='file' device='disk'><source file='/images/l1.qcow2'/>
                    <backingStore type='file'><source file='/images/base.qcow2'/></backingStore>
                  </disk>
                  <disk type='file' device='cdrom'><source file='/images/seed.iso'/></disk>
                  <disk type='file' device='disk'><source file='/images/data.raw'/></disk>
                </devices></domain>""";

        assertThat(LiveMigration.diskFiles(xml)).containsExactly("/images/l1.qcow2", "/images/data.raw");
    }

    private TopologyRecord recordOfRunningTestDomain() throws Exception {
        TopologyRecord record = TopologyRecord.open(dir.resolve("run"), "run");
        Resource domain = Resource.domain(SOURCE, "test", Level.L1);
        record.planned(domain);
        record.created(domain);
        return record;
    }

    private void assertStillOnSource(TopologyRecord record) throws Exception {
        Connect connect = new Connect(SOURCE);
        try {
            assertThat(connect.domainLookupByName("test").isActive()).isEqualTo(1);
        } finally {
            connect.close();
        }
        assertThat(TopologyRecord.read(dir.resolve("run")).live()).singleElement()
                .satisfies(r -> assertThat(r.where()).isEqualTo(SOURCE));
        assertThat(record.resources()).filteredOn(r -> r.where().equals(destination))
                .singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
    }
}
