package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.migration.SecondLibvirtd;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nestedMigrate} as the Pipeline runs it: separate {@code nvmx exec} calls provision a real
 * TCG L1 on this machine's libvirtd, migrate it to a second libvirtd on this machine
 * ({@link SecondLibvirtd}, sharing the disk files) and back, and tear it down.
 */
@Tag("libvirt")
class NvmxExecMigrateL1Test {

    @TempDir
    Path temp;

    @Test
    void aProvisionedL1GoesToAnotherL0AndBackMeasuredAndIsTornDownAfterwards() throws Exception {
        String name = NvmxProvisionTest.guestName();
        RunDirectory topology = NvmxExecL1Test.provisionRequest(temp, name);
        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(true)) {
            try {
                NvmxCall provision = NvmxCall.of("exec", "--run-dir", topology.path().toString());
                assertThat(provision.exitCode()).as(Files.readString(topology.logFile())).isEqualTo(ExitCode.OK);

                RunDirectory migrate = RunDirectory.create(temp.resolve("migrate"));
                // both daemons see the same local disk, which libvirt cannot tell: SHARED_UNCHECKED
                migrate.writeRequest(new StepRequest("nestedMigrate", Map.of("topology", topology.path().toString(),
                        "destinationUri", secondL0.uri(), "storage", "SHARED_UNCHECKED",
                        "migrateUri", "tcp://127.0.0.1", "roundTrips", 1, "resultsId", "migration")));
                NvmxCall call = NvmxCall.of("exec", "--run-dir", migrate.path().toString());

                String log = Files.readString(migrate.logFile());
                assertThat(call.exitCode()).as(log).isEqualTo(ExitCode.OK);
                Run run = ResultJson.readRun(Files.readAllBytes(migrate.resultFile()), migrate.resultFile().toString());
                assertThat(run.plan()).isEqualTo("migration");
                assertThat(run.measurements()).extracting(Measurement::metric)
                        .containsExactly("seconds", "downtime", "qemu-downtime", "memory-rounds", "memory-sent");
                assertThat(run.measurements()).allSatisfy(m -> {
                    assertThat(m.level()).isEqualTo(Level.L1);
                    assertThat(m.host()).isEqualTo(name);
                    assertThat(m.samples()).hasSize(2).allSatisfy(s -> assertThat(s.value()).isPositive());
                });
                assertThat(migrate.path().resolve("results").resolve(run.id())).isDirectory();
                assertThat(log).contains("migrating " + name + " from qemu:///system to " + secondL0.uri() + " (1/2)")
                        .contains("migrating " + name + " from " + secondL0.uri() + " to qemu:///system (2/2)");
                // there and back: where it started, and recorded there
                assertThat(secondL0.domains()).doesNotContain(name);
                assertThat(TopologyRecord.read(topology.path()).live()).filteredOn(r -> r.kind() == Resource.Kind.DOMAIN)
                        .singleElement().satisfies(r -> assertThat(r.where()).isEqualTo("qemu:///system"));
            } finally {
                RunDirectory teardown = RunDirectory.create(temp.resolve("teardown"));
                teardown.writeRequest(new StepRequest("nestedTeardown", Map.of("topology", topology.path().toString())));
                NvmxCall call = NvmxCall.of("exec", "--run-dir", teardown.path().toString());
                assertThat(call.exitCode()).as(Files.readString(teardown.logFile())).isEqualTo(ExitCode.OK);
            }
            assertThat(secondL0.domains()).isEmpty();
        }
        try (LibvirtSession libvirt = LibvirtSession.open("qemu:///system")) {
            assertThat(libvirt.find(name)).isEmpty();
        }
    }
}
