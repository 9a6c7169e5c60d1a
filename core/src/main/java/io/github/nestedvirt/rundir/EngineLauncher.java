package io.github.nestedvirt.rundir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts the engine on a run directory as a process that outlives its caller (a Jenkins agent's
 * channel, a terminal), and stops it. The engine writes everything else; see {@link RunDirectory}.
 */
public final class EngineLauncher {

    /** How often {@link #stop} looks whether the engine has ended. */
    private static final Duration POLL = Duration.ofMillis(100);

    private EngineLauncher() {
    }

    /** Starts {@code java -jar nvmxJar exec --run-dir DIR} in its own session; returns its pid. */
    public static long startDetached(Path javaExecutable, Path nvmxJar, RunDirectory dir) throws IOException {
        return startDetached(List.of(javaExecutable.toString(), "-jar", nvmxJar.toString()), dir, null);
    }

    /**
     * {@link #startDetached(Path, Path, RunDirectory)} in {@code workingDirectory}, e.g. the build's
     * workspace, against which relative paths in the arguments (a topology {@code file}) resolve.
     */
    public static long startDetached(Path javaExecutable, Path nvmxJar, RunDirectory dir, Path workingDirectory)
            throws IOException {
        return startDetached(List.of(javaExecutable.toString(), "-jar", nvmxJar.toString()), dir, workingDirectory);
    }

    /**
     * Starts {@code engine exec --run-dir DIR} in its own session (setsid: no signal of the caller's
     * terminal or process group reaches it), standard input from /dev/null, standard output and
     * error appended to {@code log.txt} (the engine writes its own lines there too; this catches
     * what the JVM itself prints, e.g. when it cannot start). The request must be written first.
     *
     * @param engine the command that runs {@code nvmx}, e.g. {@code [java, -jar, nvmx.jar]}
     * @param workingDirectory the engine's working directory, or null for the caller's
     */
    public static long startDetached(List<String> engine, RunDirectory dir, Path workingDirectory) throws IOException {
        if (!dir.specFile().toFile().exists()) {
            throw new IOException(dir.specFile() + ": write the request before starting the engine");
        }
        List<String> command = new ArrayList<>();
        command.add("setsid");
        command.addAll(engine);
        command.addAll(List.of("exec", "--run-dir", dir.path().toString()));
        Process process = new ProcessBuilder(command)
                .directory(workingDirectory == null ? null : workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.logFile().toFile()))
                .redirectErrorStream(true)
                .start();
        // setsid execs the engine in place (a child of a JVM is no group leader), so this is the engine's pid;
        // written here too so that a caller polling at once sees the engine as running, not as not started
        dir.writePid(process.toHandle());
        return process.pid();
    }

    /**
     * Asks the engine to stop (SIGTERM: it stops its work, tears its guests down and writes
     * {@code exit}); kills it (SIGKILL) if it is still running after {@code grace}. Nothing to do
     * when it is not running.
     */
    public static void stop(RunDirectory dir, Duration grace) throws IOException, InterruptedException {
        EngineState state = dir.state();
        if (state.status() != EngineState.Status.RUNNING) {
            return;
        }
        Optional<ProcessHandle> engine = ProcessHandle.of(state.pid().getAsLong());
        if (engine.isEmpty()) {
            return;
        }
        engine.get().destroy();
        Instant deadline = Instant.now().plus(grace);
        while (dir.state().status() == EngineState.Status.RUNNING && Instant.now().isBefore(deadline)) {
            Thread.sleep(POLL.toMillis());
        }
        if (dir.state().status() == EngineState.Status.RUNNING) {
            engine.get().destroyForcibly();
        }
    }
}
