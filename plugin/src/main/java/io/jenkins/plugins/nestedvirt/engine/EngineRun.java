package io.jenkins.plugins.nestedvirt.engine;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jenkinsci.plugins.workflow.FilePathUtils;

/**
 * One engine process on an agent, known only by what survives a controller restart: the node's
 * name, the run directory's path and how much of its log was already shown.
 */
public final class EngineRun implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String node;
    private final String runDirectory;
    private long logOffset;

    private EngineRun(String node, String runDirectory) {
        this.node = node;
        this.runDirectory = runDirectory;
    }

    /**
     * Starts {@code step} with {@code arguments} on the agent of {@code workspace}: copies the
     * engine jar there, writes {@code spec.json} and the secrets into a new run directory next
     * to the workspace, and starts the engine detached from the agent process.
     */
    public static EngineRun start(FilePath workspace, String step, Map<String, Object> arguments,
            Map<String, byte[]> secrets, TaskListener listener) throws IOException, InterruptedException {
        FilePath base = WorkspaceList.tempDir(workspace);
        if (base == null) {
            throw new AbortException("the workspace " + workspace + " has no parent directory for a run directory");
        }
        FilePath engines = base.child("nested-virt");
        FilePath jar = NvmxJar.installIn(engines);
        FilePath dir = engines.child(step + "-" + UUID.randomUUID().toString().substring(0, 8));
        long pid = dir.act(new AgentCalls.Start(step, arguments, secrets, jar.getRemote(), workspace.getRemote()));
        listener.getLogger().println("[nested-virt] " + step + ": engine started (pid " + pid + ", run directory "
                + dir.getRemote() + ")");
        return new EngineRun(FilePathUtils.getNodeName(workspace), dir.getRemote());
    }

    /** The run directory as a live file handle, or null while its agent is offline. */
    public FilePath directory() {
        return FilePathUtils.find(node, runDirectory);
    }

    public String node() {
        return node;
    }

    /** The run directory's path on its agent: what {@code NVMX_TOPOLOGY} names. */
    public String path() {
        return runDirectory;
    }

    /**
     * Looks once at the run directory and writes new log text to {@code listener}.
     *
     * @return what was seen
     * @throws AgentOfflineException if the agent cannot be reached now (try again later)
     */
    public EngineProgress look(TaskListener listener) throws IOException, InterruptedException {
        FilePath dir = live();
        EngineProgress progress = dir.act(new AgentCalls.Look(logOffset));
        if (!progress.log().isEmpty()) {
            listener.getLogger().print(progress.log());
            listener.getLogger().flush();
        }
        logOffset = progress.nextOffset();
        return progress;
    }

    /** Signals the engine; it tears its guests down, and is killed after {@code grace}. */
    public void stop(Duration grace) throws IOException, InterruptedException {
        live().act(new AgentCalls.Stop(grace));
    }

    /** Removes the secrets of this run from the agent. */
    public void deleteSecrets() throws IOException, InterruptedException {
        live().act(new AgentCalls.DeleteSecrets());
    }

    /** The step's {@code result.json}, or null when it wrote none. */
    public byte[] result() throws IOException, InterruptedException {
        return live().act(new AgentCalls.ReadResult());
    }

    /** Copies the kvm-unit-tests JUnit XML to {@code target}; false when the step wrote none. */
    public boolean copyJunitTo(FilePath target) throws IOException, InterruptedException {
        FilePath dir = live();
        String junit = dir.act(new AgentCalls.JunitFile());
        if (junit == null) {
            return false;
        }
        FilePath folder = target.getParent();
        if (folder != null) {
            folder.mkdirs();
        }
        new FilePath(dir.getChannel(), junit).copyTo(target);
        return true;
    }

    /** Deletes the run directory (log, spec, result) once everything was taken from it. */
    public void delete() throws IOException, InterruptedException {
        live().deleteRecursive();
    }

    private FilePath live() throws AgentOfflineException {
        FilePath dir = directory();
        if (dir == null) {
            throw new AgentOfflineException(node, runDirectory);
        }
        return dir;
    }

    /** The agent holding a run directory is not connected now. */
    public static final class AgentOfflineException extends IOException {
        private static final long serialVersionUID = 1L;

        AgentOfflineException(String node, String dir) {
            super("agent '" + (node.isEmpty() ? "built-in" : node) + "' holding " + dir
                    + " is not connected; waiting for it to come back");
        }
    }
}
