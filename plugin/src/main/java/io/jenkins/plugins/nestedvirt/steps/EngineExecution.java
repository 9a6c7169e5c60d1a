package io.jenkins.plugins.nestedvirt.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.nestedvirt.engine.EngineProgress;
import io.jenkins.plugins.nestedvirt.engine.EngineRun;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The durable part every engine step shares, after the {@code sh} step: the engine runs as a
 * detached process on the agent; this execution keeps only {@link EngineRun} (node, run
 * directory, log offset), looks at the run directory on a Jenkins timer with a backoff from
 * 250 ms to 15 s, copies new log text to the build log, and after a controller restart
 * ({@link #onResume()}) simply looks again. Nothing here blocks the Pipeline's own thread.
 */
abstract class EngineExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(EngineExecution.class.getName());

    static final long MIN_DELAY_MS = 250;
    static final long MAX_DELAY_MS = 15_000;
    /** How long the engine gets to tear its guests down after a stop before it is killed. */
    static final Duration STOP_GRACE = Duration.ofMinutes(5);

    /** The engine process being watched, or null between two of them. */
    private EngineRun engine;
    /** Why the engine was asked to stop, or null: the step then ends with this cause. */
    private Throwable stopCause;
    /** A stop that came while the engine was starting, to be sent once it is known. */
    private boolean stopPending;
    /** True while an engine start is on its way (between {@link #launch} and its record). */
    private transient boolean launching;
    private transient long delay;
    private transient ScheduledFuture<?> next;
    private transient boolean offlineReported;

    EngineExecution(StepContext context) {
        super(context);
    }

    /** Called once the watched engine has exited (or vanished, with a negative code). */
    abstract void engineExited(EngineRun run, int exitCode, String why) throws Exception;

    /** Called when something went wrong outside the engine (the agent, the controller). */
    abstract void engineFailed(Throwable failure);

    /**
     * Called after a restart when no engine is known although one should run: the controller
     * stopped between starting an engine and recording it.
     */
    abstract void launchLost();

    /** What to tell the user when an engine start was lost to a restart. */
    static String lostLaunch(String step) {
        return "the controller restarted while " + step + " was starting its engine; if it started, its run"
                + " directory is under WORKSPACE@tmp/nested-virt on the agent: remove what it recorded with"
                + " nestedTeardown(topology: 'THAT DIRECTORY')";
    }

    /** A context object the descriptor declares as required, so Pipeline guarantees it is there. */
    final <T> T required(Class<T> type) throws IOException, InterruptedException {
        T value = getContext().get(type);
        if (value == null) {
            throw new AbortException(type.getSimpleName() + " missing: nested-virt steps run inside node { }");
        }
        return value;
    }

    synchronized EngineRun engine() {
        return engine;
    }

    synchronized Throwable stopCause() {
        return stopCause;
    }

    /** Starts {@code step} on the step's agent in the background and watches it. */
    final void launch(String step, Map<String, Object> arguments) {
        synchronized (this) {
            launching = true;
        }
        Timer.get().submit(() -> {
            try {
                FilePath workspace = required(FilePath.class);
                TaskListener listener = required(TaskListener.class);
                EngineRun started = EngineRun.start(workspace, step, arguments, Map.of(), listener);
                Throwable stopped;
                synchronized (this) {
                    engine = started;
                    launching = false;
                    delay = MIN_DELAY_MS;
                    schedule(0);
                    stopped = stopPending ? stopCause : null;
                    stopPending = false;
                }
                if (stopped != null) {
                    // Asked to stop while the engine was starting: stop it now it is known.
                    stopEngine(stopped);
                }
            } catch (Exception | LinkageError e) {
                synchronized (this) {
                    launching = false;
                }
                engineFailed(e);
            }
        });
    }

    @Override
    public void onResume() {
        boolean watching;
        synchronized (this) {
            watching = engine != null;
            if (watching) {
                delay = MIN_DELAY_MS;
                schedule(0);
            }
        }
        if (!watching) {
            launchLost();
        }
    }

    /**
     * Stops the watched engine; it tears its guests down and exits, and the watch sees that. An
     * engine still starting is stopped as soon as it is known.
     */
    final void stopEngine(Throwable cause) {
        EngineRun running;
        synchronized (this) {
            running = engine;
            if (stopCause == null) {
                stopCause = cause;
            }
            if (running == null) {
                stopPending = launching;
                return;
            }
        }
        Timer.get().submit(() -> {
            try {
                TaskListener listener = required(TaskListener.class);
                listener.getLogger().println("[nested-virt] stopping the engine (" + cause + "); it removes its guests");
                running.stop(STOP_GRACE);
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "could not stop the engine in " + running.path(), e);
                engineFailed(e);
            }
        });
    }

    @Override
    public String getStatus() {
        EngineRun running = engine();
        return running == null ? "no engine running" : "engine running in " + running.path() + " on "
                + (running.node().isEmpty() ? "built-in node" : running.node());
    }

    private synchronized void schedule(long delayMs) {
        if (next != null) {
            next.cancel(false);
        }
        next = Timer.get().schedule(this::look, delayMs, TimeUnit.MILLISECONDS);
    }

    private void look() {
        EngineRun running = engine();
        if (running == null) {
            return;
        }
        try {
            TaskListener listener = required(TaskListener.class);
            EngineProgress progress;
            try {
                progress = running.look(listener);
                offlineReported = false;
            } catch (EngineRun.AgentOfflineException e) {
                if (!offlineReported) {
                    listener.getLogger().println("[nested-virt] " + e.getMessage());
                    offlineReported = true;
                }
                backOff(false);
                return;
            }
            if (progress.exited() || progress.vanished()) {
                synchronized (this) {
                    engine = null;
                }
                int code = progress.exitCode() == null ? -1 : progress.exitCode();
                String why = progress.vanished()
                        ? "the engine process vanished without writing its exit code; its log is in " + running.path()
                        : null;
                engineExited(running, code, why);
                return;
            }
            backOff(!progress.log().isEmpty() || progress.moreLog());
        } catch (InterruptedException e) {
            backOff(false);
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // A passing channel failure: look again later rather than failing a long run.
            LOGGER.log(Level.FINE, "could not look at " + running.path(), e);
            backOff(false);
        } catch (Exception | LinkageError e) {
            engineFailed(e);
        }
    }

    /** New output brings the next look close; quiet runs are looked at less and less often. */
    private synchronized void backOff(boolean output) {
        delay = output ? MIN_DELAY_MS : Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, delay * 3 / 2));
        schedule(delay);
    }
}
