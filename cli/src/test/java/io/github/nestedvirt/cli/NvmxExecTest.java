package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.rundir.EngineLauncher;
import io.github.nestedvirt.rundir.EngineState;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nvmx exec} and {@code nvmx attach}: a step run through a run directory, in process and as
 * a real detached engine process that is followed, stopped with SIGTERM and killed with SIGKILL.
 */
class NvmxExecTest {

    private static final int PORT = 25341;

    @TempDir
    Path temp;

    @AfterEach
    void endLeftoverIperf3() throws Exception {
        // after SIGKILL nothing ends the benchmark's iperf3 processes: end those of this test's port
        for (String line : Iperf3Processes.on(PORT)) {
            ProcessHandle.of(Long.parseLong(line.trim().split("\\s+")[0])).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void execRunsABenchmarkOnL0AndReportsThroughTheRunDirectory() throws Exception {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.writeString(tree.resolve("file"), "data");
        RunDirectory dir = RunDirectory.create(temp.resolve("io"));
        dir.writeRequest(new StepRequest("nestedIoBench", Map.of("paths", List.of(tree.toString()), "warmups", 0,
                "runs", 2, "maxRuns", 2, "resultsId", "io-l0")));
        dir.writeSecret("key", "secret".getBytes(StandardCharsets.UTF_8));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(call.exitCode()).as(Files.readString(dir.logFile())).isEqualTo(ExitCode.OK);
        assertThat(dir.state()).isEqualTo(new EngineState(EngineState.Status.EXITED,
                java.util.OptionalLong.of(ProcessHandle.current().pid()), java.util.OptionalInt.of(0)));
        Run run = ResultJson.readRun(Files.readAllBytes(dir.resultFile()), dir.resultFile().toString());
        assertThat(run.plan()).isEqualTo("io-l0");
        assertThat(run.measurements()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.benchmark()).isEqualTo("io-scan");
            assertThat(m.samples()).hasSize(2);
        });
        assertThat(Files.readString(dir.logFile())).contains("nvmx: nestedIoBench in " + dir.path())
                .contains("run 2 of 2").contains("nvmx: exit code 0");
        List<JsonNode> events = Files.readAllLines(dir.eventsFile()).stream().map(NvmxExecTest::json).toList();
        assertThat(events).extracting(e -> e.get("type").asText()).contains("info", "run").last().isEqualTo("exit");
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("run")).extracting(e -> e.get("index").asInt())
                .containsSubsequence(1, 2);
        assertThat(dir.path().resolve("secrets")).doesNotExist();
    }

    @Test
    void preflightOfThisMachineWritesItsReportAndExitsAsTheFindingsSay() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("preflight"));
        dir.writeRequest(new StepRequest("nestedPreflight", Map.of("probeTimeoutSeconds", 10)));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        JsonNode report = ResultJson.mapper().readTree(dir.resultFile().toFile());
        assertThat(report.at("/facts/level").asText()).isEqualTo("L0");
        boolean blocking = false;
        for (JsonNode finding : report.get("findings")) {
            blocking |= finding.get("severity").asText().equals("FAIL");
        }
        assertThat(call.exitCode()).as(Files.readString(dir.logFile()))
                .isEqualTo(blocking ? ExitCode.PREFLIGHT_FAILED : ExitCode.OK);
        assertThat(Files.readString(dir.logFile())).contains(report.at("/facts/kernel").asText());
    }

    @Test
    void aRunDirectoryIsRunOnceAndItsFilesAreLeftAsTheyWere() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("once"));
        dir.writeRequest(new StepRequest("nestedGuestfish", Map.of("runz", 3)));
        NvmxCall.of("exec", "--run-dir", dir.path().toString());
        String log = Files.readString(dir.logFile());

        NvmxCall again = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(again.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(again.err()).contains("the engine exited with code 2").contains("give each step a new run directory");
        assertThat(Files.readString(dir.logFile())).isEqualTo(log);
        assertThat(Files.readString(dir.exitFile()).trim()).isEqualTo("2");
    }

    @Test
    void aMisspelledArgumentIsBadInputNamingStepAndParameterInTheLog() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("bad"));
        dir.writeRequest(new StepRequest("nestedGuestfish", Map.of("runz", 3)));
        dir.writeSecret("key", "secret".getBytes(StandardCharsets.UTF_8));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Files.readString(dir.exitFile()).trim()).isEqualTo("2");
        assertThat(Files.readString(dir.logFile()))
                .contains("nvmx: nestedGuestfish: runz: unknown parameter; valid parameters: appliance, backend, ");
        assertThat(dir.path().resolve("secrets")).doesNotExist();
        assertThat(dir.resultFile()).doesNotExist();
    }

    @Test
    void aStepOnAGuestWithoutProvisionedTopologySaysWhatToRunFirst() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("l1"));
        Path nowhere = Files.createDirectories(temp.resolve("not-provisioned"));
        dir.writeRequest(new StepRequest("nestedGuestfish", Map.of("level", "L1", "topology", nowhere.toString())));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(Files.readString(dir.logFile())).contains(nowhere.resolve("provisioned.json").toString())
                .contains("nvmx provision TOPOLOGY --run-dir " + nowhere);
    }

    @Test
    void aDetachedEngineIsRunningThenExitsAndAttachPrintsItsLogAndExitCode() throws Exception {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.writeString(tree.resolve("file"), "data");
        RunDirectory dir = RunDirectory.create(temp.resolve("detached"));
        dir.writeRequest(new StepRequest("nestedIoBench", Map.of("paths", List.of(tree.toString()), "warmups", 0,
                "runs", 1, "maxRuns", 1)));

        long pid = EngineLauncher.startDetached(engine(), dir, null);

        assertThat(dir.state().status()).isEqualTo(EngineState.Status.RUNNING);
        assertThat(dir.state().pid()).hasValue(pid);
        NvmxCall attach = NvmxCall.of("attach", dir.path().toString());
        assertThat(attach.exitCode()).as(attach.err()).isEqualTo(ExitCode.OK);
        assertThat(attach.out()).contains("nvmx: nestedIoBench in " + dir.path()).endsWith("nvmx: exit code 0\n");
        assertThat(dir.state().status()).isEqualTo(EngineState.Status.EXITED);
        // the engine records its exit just before its JVM ends: give the process a moment to go
        ProcessHandle.of(pid).ifPresent(engine -> engine.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid)).isEmpty();
        long length = Files.size(dir.logFile());
        NvmxCall fromOffset = NvmxCall.of("attach", dir.path().toString(), "--from", String.valueOf(length - 17));
        assertThat(fromOffset.out()).isEqualTo("nvmx: exit code 0\n".substring(1));
    }

    @Test
    void relativePathsInTheArgumentsResolveInTheEnginesWorkingDirectory() throws Exception {
        Path workspace = Files.createDirectories(temp.resolve("workspace"));
        Files.writeString(workspace.resolve("lab.yaml"), "l1:\n  - name: l1a\n    memroy: 2G\n");
        RunDirectory dir = RunDirectory.create(temp.resolve("relative"));
        dir.writeRequest(new StepRequest("nestedProvision", Map.of("file", "lab.yaml")));

        EngineLauncher.startDetached(engine(), dir, workspace);

        NvmxCall attach = NvmxCall.of("attach", dir.path().toString());
        assertThat(attach.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        // the file was found and read: what is wrong is its content
        assertThat(attach.out()).contains("nvmx: nestedProvision: file: lab.yaml:3:5: l1[0]: unknown key 'memroy'");
    }

    @Test
    void sigtermStopsTheEngineWhichEndsItsProcessesAndStillWritesExit() throws Exception {
        RunDirectory dir = startLongNetworkStep("stopped");

        EngineLauncher.stop(dir, Duration.ofSeconds(60));

        EngineState state = dir.state();
        assertThat(state.status()).as(Files.readString(dir.logFile())).isEqualTo(EngineState.Status.EXITED);
        assertThat(state.exitCode()).hasValue(ExitCode.INTERRUPTED);
        assertThat(Iperf3Processes.on(PORT)).as("iperf3 left running").isEmpty();
        Run run = ResultJson.readRun(Files.readAllBytes(dir.resultFile()), dir.resultFile().toString());
        assertThat(run.failures()).singleElement().asString().endsWith("interrupted");
        assertThat(NvmxCall.of("attach", dir.path().toString()).exitCode()).isEqualTo(ExitCode.INTERRUPTED);
    }

    @Test
    void sigkillLeavesAVanishedEngineThatAttachReportsWithWhatToDo() throws Exception {
        RunDirectory dir = startLongNetworkStep("killed");

        long pid = dir.state().pid().getAsLong();
        ProcessHandle engine = ProcessHandle.of(pid).orElseThrow();
        engine.destroyForcibly();
        engine.onExit().get();

        assertThat(dir.state().status()).isEqualTo(EngineState.Status.VANISHED);
        assertThat(dir.exitFile()).doesNotExist();
        NvmxCall attach = NvmxCall.of("attach", dir.path().toString());
        assertThat(attach.exitCode()).isEqualTo(ExitCode.INTERNAL_ERROR);
        assertThat(attach.out()).contains("nvmx: nestedNetperf in ");
        assertThat(attach.err()).contains("is gone without writing " + dir.exitFile())
                .contains("Processes it started on the measured host may be left");
    }

    @Test
    void bothCommandsHaveHelp() {
        assertThat(NvmxCall.of("exec", "--help").out()).contains("spec.json").contains("events.jsonl")
                .contains("NVMX_TOPOLOGY");
        assertThat(NvmxCall.of("attach", "--help").out()).contains("--from").contains("exits with the engine's exit");
    }

    /** A 120 s iperf3 measurement on loopback, started detached; returns once its client runs. */
    private RunDirectory startLongNetworkStep(String name) throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve(name));
        dir.writeRequest(new StepRequest("nestedNetperf", Map.of("address", "127.0.0.1", "port", PORT, "seconds", 120,
                "warmups", 0, "runs", 1, "maxRuns", 1)));
        EngineLauncher.startDetached(engine(), dir, null);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Iperf3Processes.on(PORT).stream().noneMatch(line -> line.contains(" iperf3 -c "))) {
            assertThat(dir.state().status()).as(Files.readString(dir.logFile())).isEqualTo(EngineState.Status.RUNNING);
            assertThat(Instant.now()).as("iperf3 client started").isBefore(deadline);
            Thread.sleep(200);
        }
        return dir;
    }

    /** This module's nvmx on the test class path, as the launcher runs the shaded jar. */
    private static List<String> engine() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Nvmx.class.getName());
    }


    private static JsonNode json(String line) {
        try {
            return ResultJson.mapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not one JSON object: " + line, e);
        }
    }
}
