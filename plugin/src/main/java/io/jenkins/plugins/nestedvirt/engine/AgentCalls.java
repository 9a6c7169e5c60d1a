package io.jenkins.plugins.nestedvirt.engine;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.github.nestedvirt.rundir.EngineLauncher;
import io.github.nestedvirt.rundir.EngineState;
import io.github.nestedvirt.rundir.LogChunk;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import io.github.nestedvirt.steps.StepArgumentException;
import io.github.nestedvirt.steps.StepCatalog;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * The work done on the agent, next to the run directory: each call is a small serializable
 * object sent through {@code FilePath.act}. The engine's own classes do the work; these only
 * carry arguments across.
 */
final class AgentCalls {

    /** Largest log chunk sent to the controller at once; the next poll follows at once. */
    static final int LOG_CHUNK = 64 * 1024;

    private AgentCalls() {
    }

    /** Creates the run directory, writes the request and secrets, and starts the engine detached. */
    static final class Start extends MasterToSlaveFileCallable<Long> {
        private static final long serialVersionUID = 1L;
        private final String step;
        private final LinkedHashMap<String, Object> arguments;
        private final LinkedHashMap<String, byte[]> secrets;
        private final String nvmxJar;
        private final String workspace;

        Start(String step, Map<String, Object> arguments, Map<String, byte[]> secrets, String nvmxJar,
                String workspace) {
            this.step = step;
            this.arguments = new LinkedHashMap<>(arguments);
            this.secrets = new LinkedHashMap<>(secrets);
            this.nvmxJar = nvmxJar;
            this.workspace = workspace;
        }

        @Override
        public Long invoke(File dir, VirtualChannel channel) throws IOException {
            // The engine's own check, on the agent where relative paths (a topology file) resolve
            // in the workspace: a wrong parameter fails the step here, before anything runs.
            try {
                StepCatalog.bindStep(step, arguments, Path.of(workspace));
            } catch (StepArgumentException e) {
                throw new AbortException(e.getMessage());
            }
            RunDirectory run = RunDirectory.create(dir.toPath());
            run.writeRequest(new StepRequest(step, arguments));
            for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
                run.writeSecret(secret.getKey(), secret.getValue());
            }
            // The agent's own Java runs the engine: it is the one known to exist there.
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            return EngineLauncher.startDetached(java, Path.of(nvmxJar), run, Path.of(workspace));
        }
    }

    /** Reads new log text from {@code offset} and the engine's state. */
    static final class Look extends MasterToSlaveFileCallable<EngineProgress> {
        private static final long serialVersionUID = 1L;
        private final long offset;

        Look(long offset) {
            this.offset = offset;
        }

        @Override
        public EngineProgress invoke(File dir, VirtualChannel channel) throws IOException {
            RunDirectory run = RunDirectory.open(dir.toPath());
            // State first: a log read after the engine exited is then complete.
            EngineState state = run.state();
            LogChunk chunk = run.readLog(offset, LOG_CHUNK);
            boolean more = Files.exists(run.logFile()) && Files.size(run.logFile()) > chunk.nextOffset();
            Integer exit = state.exitCode().isPresent() ? state.exitCode().getAsInt() : null;
            return new EngineProgress(chunk.text(), chunk.nextOffset(), state.status().name(), exit, more);
        }
    }

    /** Signals the engine to stop; it tears its guests down and writes its exit code. */
    static final class Stop extends MasterToSlaveFileCallable<Void> {
        private static final long serialVersionUID = 1L;
        private final long graceSeconds;

        Stop(Duration grace) {
            this.graceSeconds = grace.toSeconds();
        }

        @Override
        public Void invoke(File dir, VirtualChannel channel) throws IOException, InterruptedException {
            EngineLauncher.stop(RunDirectory.open(dir.toPath()), Duration.ofSeconds(graceSeconds));
            return null;
        }
    }

    /** Deletes the secrets once the engine has exited: key material never outlives its run. */
    static final class DeleteSecrets extends MasterToSlaveFileCallable<Void> {
        private static final long serialVersionUID = 1L;

        @Override
        public Void invoke(File dir, VirtualChannel channel) throws IOException {
            RunDirectory.open(dir.toPath()).deleteSecrets();
            return null;
        }
    }

    /** The bytes of {@code result.json}, or null when the step wrote no result. */
    static final class ReadResult extends MasterToSlaveFileCallable<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] invoke(File dir, VirtualChannel channel) throws IOException {
            Path result = RunDirectory.open(dir.toPath()).resultFile();
            return Files.exists(result) ? Files.readAllBytes(result) : null;
        }
    }

    /** The path of the kvm-unit-tests JUnit XML, or null when the step wrote none. */
    static final class JunitFile extends MasterToSlaveFileCallable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String invoke(File dir, VirtualChannel channel) throws IOException {
            Path junit = RunDirectory.open(dir.toPath()).junitFile();
            return Files.exists(junit) ? junit.toString() : null;
        }
    }
}
