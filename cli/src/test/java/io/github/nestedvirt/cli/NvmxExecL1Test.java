package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.TestGuestImage;
import io.github.nestedvirt.provision.TestTopology;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.rundir.EngineLauncher;
import io.github.nestedvirt.rundir.EngineState;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of a {@code nestedTopology} block as separate {@code nvmx exec} processes would run
 * them: provision a real TCG L1 and leave it up, measure and watch it from later execs that find
 * it through the topology's run directory, tear it down from a last one.
 */
@Tag("libvirt")
class NvmxExecL1Test {

    @TempDir
    Path temp;

    @Test
    void aProvisionedL1IsMeasuredByALaterStepAndTornDownByAnother() throws Exception {
        String name = NvmxProvisionTest.guestName();
        RunDirectory topology = provisionRequest(temp, name);
        try {
            NvmxCall provision = NvmxCall.of("exec", "--run-dir", topology.path().toString());
            assertThat(provision.exitCode()).as(Files.readString(topology.logFile())).isEqualTo(ExitCode.OK);
            assertThat(Files.readString(topology.logFile())).contains("L1 " + name + " is up at ");

            RunDirectory io = RunDirectory.create(temp.resolve("io-l1"));
            io.writeRequest(new StepRequest("nestedIoBench", Map.of("topology", topology.path().toString(),
                    "level", "L1", "paths", List.of("/bin"), "warmups", 0, "runs", 2, "maxRuns", 2)));
            NvmxCall bench = NvmxCall.of("exec", "--run-dir", io.path().toString());

            assertThat(bench.exitCode()).as(Files.readString(io.logFile())).isEqualTo(ExitCode.OK);
            Run run = ResultJson.readRun(Files.readAllBytes(io.resultFile()), io.resultFile().toString());
            assertThat(run.plan()).isEqualTo("nestedIoBench");
            assertThat(run.measurements()).isNotEmpty().allSatisfy(m -> {
                assertThat(m.level()).isEqualTo(Level.L1);
                assertThat(m.samples()).hasSize(2);
            });
            String address = ProvisionedTopology.read(topology.path()).guest(name).address();
            assertThat(run.fingerprint()).anySatisfy(facts -> assertThat(facts.host()).contains(address));

            RunDirectory stress = RunDirectory.create(temp.resolve("stress"));
            stress.writeRequest(new StepRequest("nestedStress", Map.of("topology", topology.path().toString(),
                    "seconds", 4, "intervalSeconds", 2, "probeTimeoutSeconds", 2)));
            NvmxCall watch = NvmxCall.of("exec", "--run-dir", stress.path().toString());

            assertThat(watch.exitCode()).as(Files.readString(stress.logFile())).isEqualTo(ExitCode.OK);
            Run watched = ResultJson.readRun(Files.readAllBytes(stress.resultFile()), stress.resultFile().toString());
            assertThat(watched.measurements()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.benchmark()).isEqualTo("stability"))
                    .anySatisfy(m -> assertThat(m.level()).isEqualTo(Level.L1));
        } finally {
            RunDirectory teardown = RunDirectory.create(temp.resolve("teardown"));
            teardown.writeRequest(new StepRequest("nestedTeardown", Map.of("topology", topology.path().toString())));
            NvmxCall call = NvmxCall.of("exec", "--run-dir", teardown.path().toString());
            assertThat(call.exitCode()).as(Files.readString(teardown.logFile())).isEqualTo(ExitCode.OK);
        }
        assertThat(TopologyRecord.read(topology.path()).resources())
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        try (LibvirtSession libvirt = LibvirtSession.open("qemu:///system")) {
            assertThat(libvirt.find(name)).isEmpty();
        }
    }

    /** A run directory in {@code temp} that asks for the test L1 {@code name}, for an hour. */
    static RunDirectory provisionRequest(Path temp, String name) throws Exception {
        TestGuestImage image = NvmxProvisionTest.realGuestImage(temp);
        Path topologyFile = Files.writeString(temp.resolve("lab.yaml"), TestTopology.yaml(List.of(name), image, "", temp));
        RunDirectory topology = RunDirectory.create(temp.resolve(name));
        topology.writeRequest(new StepRequest("nestedProvision", Map.of("file", topologyFile.toString(), "expiresHours", 1)));
        return topology;
    }

    @Test
    void sigtermWhileTheGuestBootsRemovesItAndTheEngineStillWritesExit() throws Exception {
        TestGuestImage image = NvmxProvisionTest.realGuestImage(temp);
        String name = NvmxProvisionTest.guestName();
        Path topologyFile = Files.writeString(temp.resolve("lab.yaml"), TestTopology.yaml(List.of(name), image, "", temp));
        RunDirectory topology = RunDirectory.create(temp.resolve(name));
        topology.writeRequest(new StepRequest("nestedProvision", Map.of("file", topologyFile.toString())));
        EngineLauncher.startDetached(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Nvmx.class.getName()), topology, null);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.readString(topology.logFile()).contains(name + ": started, waiting for its address")) {
            assertThat(topology.state().status()).as(Files.readString(topology.logFile()))
                    .isEqualTo(EngineState.Status.RUNNING);
            assertThat(Instant.now()).as("the guest was started").isBefore(deadline);
            Thread.sleep(100);
        }

        EngineLauncher.stop(topology, Duration.ofSeconds(60));

        EngineState state = topology.state();
        assertThat(state.status()).as(Files.readString(topology.logFile())).isEqualTo(EngineState.Status.EXITED);
        assertThat(state.exitCode()).hasValue(ExitCode.INTERRUPTED);
        assertThat(topology.path().resolve(ProvisionedTopology.FILE_NAME)).doesNotExist();
        assertThat(TopologyRecord.read(topology.path()).resources()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        try (LibvirtSession libvirt = LibvirtSession.open("qemu:///system")) {
            assertThat(libvirt.find(name)).isEmpty();
        }
    }

    @Test
    void anL1KvmIntelSettingThatCannotBeMadeFailsTheStepAndRemovesTheGuest() throws Exception {
        TestGuestImage image = NvmxProvisionTest.realGuestImage(temp);
        String name = NvmxProvisionTest.guestName();
        Path topologyFile = Files.writeString(temp.resolve("lab.yaml"), TestTopology.yaml(List.of(name), image, "", temp));
        RunDirectory topology = RunDirectory.create(temp.resolve(name));
        topology.writeRequest(new StepRequest("nestedTopology", Map.of("file", topologyFile.toString(),
                "l1KvmIntel", Map.of("ept", 0))));

        NvmxCall provision = NvmxCall.of("exec", "--run-dir", topology.path().toString());

        // the test L1 has no kvm module at all: the switch is refused and said why
        String log = Files.readString(topology.logFile());
        assertThat(provision.exitCode()).as(log).isEqualTo(ExitCode.HOST_UNREACHABLE);
        assertThat(log).contains("kvm_intel is not loaded").contains("removing what was created");
        assertThat(TopologyRecord.read(topology.path()).resources()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        try (LibvirtSession libvirt = LibvirtSession.open("qemu:///system")) {
            assertThat(libvirt.find(name)).isEmpty();
        }
    }
}
