package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.Teardown;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.LibvirtDomain;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.result.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * Migrations that cannot happen, against libvirt's test driver ({@code test:///default}, which has
 * no migration): the refusal is reported as "not supported", the guest stays where it was, and the
 * run's record forgets what it had planned on the destination.
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
