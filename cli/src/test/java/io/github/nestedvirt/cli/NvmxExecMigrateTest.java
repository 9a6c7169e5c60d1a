package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.host.SshTestBed;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.ProvisionedGuest;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nestedMigrate} through {@code nvmx exec}: a guest of a topology on libvirt's test driver
 * ({@code test:///default}, which cannot migrate) is refused as "not supported", exit code 7, and
 * stays recorded where it was. The guest's SSH side is a real OpenSSH server in a network namespace
 * (the step logs in to it to watch the guest's downtime before it migrates).
 */
class NvmxExecMigrateTest {

    private static final String SOURCE = "test:///default";

    @TempDir
    Path temp;

    @Test
    void aMigrationTheDriverCannotDoIsNotSupportedWithExitCode7AndTheGuestStaysRecordedWhereItWas() throws Exception {
        // the test driver's state lives while a connection is open: its domain 'test' runs
        try (LibvirtSession keepAlive = LibvirtSession.open(SOURCE); SshTestBed bed = SshTestBed.start()) {
            Path topology = topologyOfTestDomain(bed);
            String destination = "test://" + Files.writeString(temp.resolve("node.xml"), "<node/>");
            RunDirectory dir = RunDirectory.create(temp.resolve("migrate"));
            // force: past the check before trying (the test driver is no QEMU), to libvirt's own refusal
            dir.writeRequest(new StepRequest("nestedMigrate", Map.of("topology", topology.toString(),
                    "destinationUri", destination, "force", true)));

            NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

            String log = Files.readString(dir.logFile());
            assertThat(call.exitCode()).as(log).isEqualTo(ExitCode.NOT_SUPPORTED);
            assertThat(log).contains("migrating test from test:///default to " + destination)
                    .contains(destination + ": not supported on this host: libvirt cannot live-migrate here")
                    .contains("nvmx: exit code 7");
            assertThat(TopologyRecord.read(topology).live()).singleElement()
                    .satisfies(r -> assertThat(r.where()).isEqualTo(SOURCE));
            assertThat(keepAlive.find("test")).isPresent();
            assertThat(dir.resultFile()).doesNotExist();
        }
    }

    @Test
    void withoutForceL0sThatCannotMigrateAreNotSupportedBeforeAnythingMoves() throws Exception {
        try (LibvirtSession keepAlive = LibvirtSession.open(SOURCE); SshTestBed bed = SshTestBed.start()) {
            Path topology = topologyOfTestDomain(bed);
            String destination = "test://" + Files.writeString(temp.resolve("node.xml"), "<node/>");
            RunDirectory dir = RunDirectory.create(temp.resolve("migrate"));
            dir.writeRequest(new StepRequest("nestedMigrate", Map.of("topology", topology.toString(),
                    "destinationUri", destination)));

            NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

            String log = Files.readString(dir.logFile());
            assertThat(call.exitCode()).as(log).isEqualTo(ExitCode.NOT_SUPPORTED);
            // what libvirt tells of both L0s rules it out: they are libvirt's test driver, not QEMU
            assertThat(log).contains("Not supported between these L0s, nothing was migrated (force: true tries anyway)")
                    .contains("test:///default: ").doesNotContain("migrating test from");
            assertThat(TopologyRecord.read(topology).live()).singleElement()
                    .satisfies(r -> assertThat(r.where()).isEqualTo(SOURCE));
            assertThat(keepAlive.find("test")).isPresent();
            assertThat(dir.resultFile()).doesNotExist();
        }
    }

    @Test
    void aBadArgumentIsBadInputNamingTheParameter() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("bad"));
        dir.writeRequest(new StepRequest("nestedMigrate", Map.of("topology", temp.toString(),
                "destinationUri", "qemu+ssh://root@l0b/system", "storage", "NFS")));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Files.readString(dir.logFile())).contains("nvmx: nestedMigrate: storage: ")
                .contains("SHARED, SHARED_UNCHECKED, COPY");
    }

    @Test
    void aGuestThatIsNoL1OfTheTopologyIsBadInputNamingTheL1s() throws Exception {
        Path topology = Files.createDirectories(temp.resolve("topology"));
        new ProvisionedTopology("run", List.of(guest("l1a", Level.L1, "192.0.2.1", null),
                guest("l2a", Level.L2, "192.0.2.2", "l1a"))).write(topology);
        RunDirectory dir = RunDirectory.create(temp.resolve("l2"));
        dir.writeRequest(new StepRequest("nestedMigrate", Map.of("topology", topology.toString(), "guest", "l2a",
                "destinationUri", "qemu+ssh://root@l0b/system")));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Files.readString(dir.logFile())).contains("guest: no L1 named 'l2a' in " + topology
                + " (a migration moves an L1 with its L2s); its L1s: l1a");
    }

    /** A topology run directory whose L1 'test' is the test driver's domain, reached over SSH in the bed. */
    private Path topologyOfTestDomain(SshTestBed bed) throws Exception {
        Path topology = Files.createDirectories(temp.resolve("topology"));
        TopologyRecord record = TopologyRecord.open(topology, "run");
        Resource domain = Resource.domain(SOURCE, "test", Level.L1);
        record.planned(domain);
        record.created(domain);
        new ProvisionedTopology("run", List.of(new ProvisionedGuest("test", Level.L1, bed.l1Address(), "root", 22,
                bed.ecdsaKey().toString(), null, bed.knownHosts().toString(), HostKeyPolicy.STRICT, null, 1)))
                .write(topology);
        return topology;
    }

    private static ProvisionedGuest guest(String name, Level level, String address, String via) {
        return new ProvisionedGuest(name, level, address, "root", 22, "/nonexistent/key", null, "/nonexistent/known_hosts",
                HostKeyPolicy.STRICT, via, 1);
    }
}
