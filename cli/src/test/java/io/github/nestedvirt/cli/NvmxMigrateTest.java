package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.migration.SecondLibvirtd;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.TestGuestImage;
import io.github.nestedvirt.provision.TestTopology;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nvmx migrate}: bad input refused, a refusal of libvirt told as "not supported" (exit 7),
 * and a real L1 provisioned by {@code nvmx provision} migrated to a second L0 and back, stored as
 * a benchmark, then found there by {@code nvmx teardown}.
 */
class NvmxMigrateTest {

    @TempDir
    Path temp;

    @Test
    void aDomainWithoutItsSourceIsBadInput() {
        NvmxCall call = NvmxCall.of("migrate", "--connect", "qemu:///system", "--to", "qemu+ssh://root@l0b/system");

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("--connect: also give --domain NAME");
    }

    @Test
    void copyingSharedStorageIsBadInput() {
        NvmxCall call = NvmxCall.of("migrate", "--connect", "qemu:///system", "--domain", "l1", "--to",
                "qemu+ssh://root@l0b/system", "--copy-storage", "--unsafe");

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("--copy-storage and --unsafe: give one");
    }

    @Test
    void aRunDirectoryWithoutARecordIsBadInputNamingTheFile() {
        NvmxCall call = NvmxCall.of("migrate", "--run-dir", temp.toString(), "--to", "qemu+ssh://root@l0b/system");

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("--run-dir: " + temp.resolve("topology.json") + ": no such file");
    }

    @Test
    void anL0WithoutQemuIsRefusedBeforeTryingWithExitCode7() throws Exception {
        Path node = Files.writeString(temp.resolve("node.xml"), "<node/>");

        NvmxCall call = NvmxCall.of("migrate", "--connect", "test:///default", "--domain", "test", "--to",
                "test://" + node, "--results", temp.resolve("results").toString());

        assertThat(call.exitCode()).as(call.err()).isEqualTo(ExitCode.NOT_SUPPORTED);
        // libvirt's test driver is no QEMU: what it reports of itself is the reason
        assertThat(call.err()).contains("nvmx: not supported between these L0s:",
                "  test:///default: QEMU is not installed, which cannot migrate a guest hypervisor with a running L2",
                "  test://" + node + ": QEMU is not installed", "--force tries anyway");
        assertThat(temp.resolve("results")).doesNotExist();
    }

    @Test
    void aDriverThatCannotMigrateIsNotSupportedWithExitCode7() throws Exception {
        Path node = Files.writeString(temp.resolve("node.xml"), "<node/>");

        NvmxCall call = NvmxCall.of("migrate", "--connect", "test:///default", "--domain", "test", "--to",
                "test://" + node, "--force", "--results", temp.resolve("results").toString());

        assertThat(call.exitCode()).as(call.err()).isEqualTo(ExitCode.NOT_SUPPORTED);
        assertThat(call.err()).contains("not supported on this host: libvirt cannot live-migrate here");
        assertThat(temp.resolve("results")).doesNotExist();
    }

    @Test
    @Tag("libvirt")
    void migratesAProvisionedL1ToAnotherL0AndBackStoresTheFiguresAndTeardownFindsItThere() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "boots a guest under qemu:///system: run as root");
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        String name = "nvmx-test-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path topology = Files.writeString(temp.resolve("lab.yaml"),
                TestTopology.yaml(List.of(name), TestGuestImage.get(), "", temp));
        Path runDir = temp.resolve("run");
        Path results = temp.resolve("results");

        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(true)) {
            NvmxCall provision = NvmxCall.of("provision", topology.toString(), "--run-dir", runDir.toString());
            assertThat(provision.exitCode()).as(provision.err()).isEqualTo(ExitCode.OK);
            try {
                NvmxCall there = NvmxCall.of("migrate", "--run-dir", runDir.toString(), "--to", secondL0.uri(),
                        "--unsafe", "--migrate-uri", "tcp://127.0.0.1", "--round-trips", "1",
                        "--results", results.toString());

                assertThat(there.exitCode()).as(there.err()).isEqualTo(ExitCode.OK);
                assertThat(there.out()).contains("migration").contains("Stored in " + results);
                Run run = new ResultStore(results).loadAll().runs().get(0);
                assertThat(run.measurements()).extracting(Measurement::metric)
                        .containsExactly("seconds", "downtime", "qemu-downtime", "memory-rounds", "memory-sent");
                assertThat(run.measurements()).allSatisfy(m -> assertThat(m.values()).hasSize(2));
                System.out.print("nvmx migrate, one round trip:\n" + there.out());

                NvmxCall away = NvmxCall.of("migrate", "--run-dir", runDir.toString(), "--to", secondL0.uri(),
                        "--unsafe", "--migrate-uri", "tcp://127.0.0.1", "--results", results.toString());
                assertThat(away.exitCode()).as(away.err()).isEqualTo(ExitCode.OK);
                assertThat(secondL0.domains()).containsExactly(name);
            } finally {
                NvmxCall teardown = NvmxCall.of("teardown", runDir.toString());
                assertThat(teardown.exitCode()).as(teardown.err()).isEqualTo(ExitCode.OK);
                assertThat(teardown.out()).contains("removed domain " + name + " on " + secondL0.uri());
            }
            assertThat(secondL0.domains()).isEmpty();
        }
        assertThat(TopologyRecord.read(runDir).resources())
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        try (LibvirtSession libvirt = LibvirtSession.open("qemu:///system")) {
            assertThat(libvirt.find(name)).isEmpty();
        }
    }
}
