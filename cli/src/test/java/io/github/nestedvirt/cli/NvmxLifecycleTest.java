package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TestDomains;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import io.github.nestedvirt.topology.OwnerTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/** {@code nvmx teardown} and {@code nvmx reap} against libvirt's in-process test driver and real files. */
class NvmxLifecycleTest {

    private static final String TEST_DRIVER = "test:///default";

    @TempDir
    Path temp;

    /** Held open: the test driver forgets its domains when its last connection in this JVM closes. */
    private Connect libvirt;

    @BeforeEach
    void open() throws Exception {
        libvirt = new Connect(TEST_DRIVER);
    }

    @AfterEach
    void close() throws Exception {
        libvirt.close();
    }

    @Test
    void teardownRemovesARunsDomainAndFilesAndCanBeRepeated() throws Exception {
        Path runDir = temp.resolve("run");
        TopologyRecord record = TopologyRecord.open(runDir, "r1");
        Path console = temp.resolve("l1-console.log");
        record.create(Resource.file("local", console.toString(), Level.L0), () -> Files.writeString(console, "boot"));
        String name = TestDomains.uniqueName("l1");
        record.create(Resource.domain(TEST_DRIVER, name, Level.L1), () -> define(name,
                OwnerTag.forThisProcess("r1", Duration.ofHours(1))));

        NvmxCall first = NvmxCall.of("teardown", runDir.toString());
        NvmxCall second = NvmxCall.of("teardown", runDir.toString());

        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.OK);
        assertThat(first.out()).contains("removed domain " + name + " on " + TEST_DRIVER)
                .contains("removed file " + console + " on local");
        assertThat(domains()).doesNotContain(name);
        assertThat(console).doesNotExist();
        assertThat(second.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(second.out()).contains("nothing to remove");
    }

    @Test
    void theTeardownStepRemovesTheTopologyOfAnotherRunDirectory() throws Exception {
        Path topology = temp.resolve("topology");
        TopologyRecord record = TopologyRecord.open(topology, "t1");
        String name = TestDomains.uniqueName("l1");
        record.create(Resource.domain(TEST_DRIVER, name, Level.L1), () -> define(name,
                OwnerTag.forThisProcess("t1", Duration.ofHours(1))));
        RunDirectory step = RunDirectory.create(temp.resolve("teardown-step"));
        step.writeRequest(new StepRequest("nestedTeardown", Map.of("topology", topology.toString())));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", step.path().toString());

        assertThat(call.exitCode()).as(Files.readString(step.logFile())).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(step.logFile())).contains("removed domain " + name + " on " + TEST_DRIVER);
        assertThat(domains()).doesNotContain(name);
        assertThat(TopologyRecord.read(topology).resources())
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        assertThat(step.state().exitCode()).hasValue(0);
    }

    @Test
    void teardownThatCannotRemoveSomethingSaysWhatAndExitsWithFive() throws Exception {
        Path runDir = temp.resolve("run");
        TopologyRecord record = TopologyRecord.open(runDir, "r1");
        Path directory = Files.createDirectory(temp.resolve("not-a-file"));
        record.create(Resource.file("local", directory.toString(), Level.L0), () -> null);

        NvmxCall call = NvmxCall.of("teardown", runDir.toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.CLEANUP_INCOMPLETE);
        assertThat(call.out()).contains("FAILED to remove file " + directory);
        assertThat(call.err()).contains("1 resource(s) of run r1 may be left", "nvmx teardown " + runDir);
    }

    @Test
    void teardownOfADamagedRecordIsBadInputNamingTheFile() throws Exception {
        Path runDir = Files.createDirectory(temp.resolve("run"));
        Files.writeString(runDir.resolve("topology.json"), "{\"schemaVersion\": 1, \"run\": \"r1\", \"resources\": [");

        NvmxCall call = NvmxCall.of("teardown", runDir.toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).startsWith("nvmx: " + runDir.resolve("topology.json") + ": damaged topology record");
    }

    @Test
    void reapRemovesOnlyDomainsWhoseOwnerIsGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        OwnerTag orphaned = new OwnerTag("dead-run", gone.pid(), OwnerTag.forThisProcess("x", Duration.ZERO).host(),
                Instant.now(), Instant.now().plus(Duration.ofHours(1)));
        String orphan = TestDomains.uniqueName("orphan");
        define(orphan, orphaned);
        String mine = TestDomains.uniqueName("mine");
        define(mine, OwnerTag.forThisProcess("live-run", Duration.ofHours(1)));
        String foreign = TestDomains.uniqueName("foreign");
        define(foreign, null);

        NvmxCall dryRun = NvmxCall.of("reap", "--connect", TEST_DRIVER, "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.err()).isEqualTo(ExitCode.OK);
        assertThat(dryRun.out()).contains("would remove " + orphan + " (run dead-run): owner process " + gone.pid())
                .contains("kept " + mine + " (run live-run)").doesNotContain(foreign);
        assertThat(domains()).contains(orphan);

        NvmxCall reap = NvmxCall.of("reap", "--connect", TEST_DRIVER);

        assertThat(reap.exitCode()).as(reap.err()).isEqualTo(ExitCode.OK);
        assertThat(reap.out()).contains("removed " + orphan).containsPattern("1 removed, \\d+ kept");
        assertThat(domains()).doesNotContain(orphan).contains(mine, foreign);
    }

    @Test
    void reapOfAnUnreachableLibvirtSaysSo() {
        String uri = "test:///" + temp.resolve("missing.xml");

        NvmxCall call = NvmxCall.of("reap", "--connect", uri);

        assertThat(call.exitCode()).isEqualTo(ExitCode.HOST_UNREACHABLE);
        assertThat(call.err()).startsWith("nvmx: cannot connect to libvirt at " + uri);
    }

    @Test
    void bothCommandsHaveHelp() {
        assertThat(NvmxCall.of("teardown", "--help").out()).contains("Usage: nvmx teardown", "RUN_DIR");
        assertThat(NvmxCall.of("reap", "--help").out()).contains("Usage: nvmx reap", "--connect", "--dry-run", "--run");
        assertThat(NvmxCall.of("--help").out()).contains("teardown", "reap", "5    teardown or reap");
    }

    private List<String> domains() throws LibvirtException {
        return Arrays.stream(libvirt.listAllDomains(0)).map(d -> {
            try {
                return d.getName();
            } catch (LibvirtException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Defines and starts a test-driver domain, with {@code owner} in its metadata unless null. */
    private Void define(String name, OwnerTag owner) throws Exception {
        Domain domain = libvirt.domainDefineXML(TestDomains.xml("test", name, owner));
        domain.create();
        domain.free();
        return null;
    }
}
