package io.github.nestedvirt.cli;

import io.github.nestedvirt.lifecycle.LibvirtErrorOutput;
import io.github.nestedvirt.rundir.EngineLog;
import io.github.nestedvirt.rundir.EngineState;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import io.github.nestedvirt.steps.BoundStep;
import io.github.nestedvirt.steps.StepCatalog;
import io.github.nestedvirt.steps.StepParameter;
import io.github.nestedvirt.steps.StepRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nvmx exec --run-dir DIR}: the engine side of the run directory protocol. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Runs the step requested in DIR/spec.json ({\"step\": NAME, \"arguments\": {...}}, the names and "
                + "parameters of the Pipeline steps) and reports through DIR: pid, log.txt (everything it says), "
                + "events.jsonl (progress, one JSON object per line), result.json and, last, exit (the exit code); "
                + "nestedKvmUnitTests also writes junit.xml (every test's outcome, for Jenkins' junit step).",
            "This is what the Jenkins steps start on an agent, detached; watch it with 'nvmx attach DIR'. "
                + "Benchmarks run on this machine (L0) or, with the argument 'topology' (or the environment "
                + "variable NVMX_TOPOLOGY), on a guest provisioned by an earlier nestedProvision in that directory.",
            "SIGTERM stops the step, removes guests it was creating and still writes exit (130). "
                + "DIR/secrets is deleted at the end."})
final class ExecCommand implements Callable<Integer> {

    /** Set by the nestedTopology block step for the steps in its body. */
    static final String TOPOLOGY_VARIABLE = "NVMX_TOPOLOGY";

    @Option(names = "--run-dir", paramLabel = "DIR", required = true,
            description = "The run directory holding spec.json; it must exist.")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        LibvirtErrorOutput.silence();
        RunDirectory dir = RunDirectory.open(runDir);
        EngineState state = dir.state();
        if (state.status() == EngineState.Status.EXITED || state.status() == EngineState.Status.VANISHED) {
            // its files (above all topology.json) belong to that earlier engine
            throw new IllegalArgumentException("--run-dir: " + dir.describe(state) + "; give each step a new run directory");
        }
        if (state.status() == EngineState.Status.RUNNING && !isThisEngine(state.pid().getAsLong())) {
            throw new IllegalArgumentException("--run-dir: " + dir.describe(state) + "; follow it with 'nvmx attach "
                    + dir.path() + "'");
        }
        dir.writePid(ProcessHandle.current());
        int code;
        try (EngineLog log = EngineLog.open(dir)) {
            try {
                code = execute(dir, log);
            } catch (NoSuchFileException e) {
                log.info("nvmx: " + e.getMessage() + (e.getReason() == null ? "" : ": " + e.getReason()));
                code = ExitCode.BAD_INPUT;
            } catch (Exception e) {
                code = ErrorHandler.report(e, new PrintWriter(log.stream(), true));
            } catch (Error e) {
                // still write exit below: a caller must not take this for a killed engine
                log.info("nvmx: internal error: " + e);
                e.printStackTrace(log.stream());
                code = ExitCode.INTERNAL_ERROR;
            } finally {
                deleteSecrets(dir, log);
            }
            log.info("nvmx: exit code " + code);
            log.exited(code);
        }
        dir.writeExit(code);
        return code;
    }

    private static void deleteSecrets(RunDirectory dir, EngineLog log) {
        try {
            dir.deleteSecrets();
        } catch (IOException e) {
            log.info("nvmx: could not delete " + dir.path().resolve(RunDirectory.SECRETS) + ": " + e
                    + "; delete it by hand");
        }
    }

    /** The launcher wrote our pid, or that of setsid had setsid to fork (when started as a group leader). */
    private static boolean isThisEngine(long pid) {
        ProcessHandle self = ProcessHandle.current();
        return pid == self.pid() || self.parent().map(ProcessHandle::pid).filter(parent -> parent == pid).isPresent();
    }

    private static int execute(RunDirectory dir, EngineLog log) throws Exception {
        StepRequest request = dir.readRequest();
        Map<String, Object> arguments = new LinkedHashMap<>(request.arguments());
        String topology = System.getenv(TOPOLOGY_VARIABLE);
        if (topology != null && !arguments.containsKey("topology") && StepCatalog.parameters(request.step()).stream()
                .map(StepParameter::name).anyMatch("topology"::equals)) {
            arguments.put("topology", topology);
        }
        BoundStep step = StepCatalog.bindStep(request.step(), arguments);
        log.info("nvmx: " + request.step() + " in " + dir.path());
        return switch (new StepRunner(dir, log).run(step)) {
            case OK -> ExitCode.OK;
            case BENCHMARK_FAILED -> ExitCode.BENCHMARK_FAILED;
            case NOT_PROVISIONED -> ExitCode.HOST_UNREACHABLE;
            case PREFLIGHT_FAILED -> ExitCode.PREFLIGHT_FAILED;
            case CLEANUP_INCOMPLETE -> ExitCode.CLEANUP_INCOMPLETE;
            case NOT_SUPPORTED -> ExitCode.NOT_SUPPORTED;
            case INTERRUPTED -> ExitCode.INTERRUPTED;
        };
    }
}
