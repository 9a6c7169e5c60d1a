package io.jenkins.plugins.nestedvirt.steps;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.jenkins.plugins.nestedvirt.engine.EngineRun;
import java.util.Map;
import java.util.TreeMap;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The block step's life: provision (an engine run), the body (with {@code NVMX_TOPOLOGY} set to
 * the provisioning run directory, which holds the topology record), then teardown (another
 * engine run) whatever happened before. Each phase is durable: after a controller restart the
 * engine run of the current phase is watched again, and the body is resumed by Pipeline itself.
 *
 * <p>The teardown is not a {@link BodyExecutionCallback.TailCall}: a tail call's
 * {@code finished} runs on the Pipeline's own thread and must not block, while removing guests
 * takes minutes. The callback starts the teardown as an engine run instead, and the step ends
 * when that run exits.
 */
final class TopologyExecution extends EngineExecution {

    private static final long serialVersionUID = 1L;

    static final String PROVISION = EngineArguments.PROVISION;
    static final String TEARDOWN = EngineArguments.TEARDOWN;

    enum Phase { PROVISIONING, BODY, TEARING_DOWN }

    private final TreeMap<String, Object> arguments;
    private Phase phase = Phase.PROVISIONING;
    /** The provisioning run directory; it holds the topology record until teardown. */
    private EngineRun provisioned;
    /** What failed before teardown (provisioning, the body, an abort); the step ends with it. */
    private Throwable failure;

    TopologyExecution(StepContext context, TreeMap<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
    }

    @Override
    public boolean start() throws Exception {
        launch(PROVISION, arguments);
        return false;
    }

    @Override
    synchronized void engineExited(EngineRun run, int exitCode, String why) throws Exception {
        if (phase == Phase.PROVISIONING) {
            provisioned = run;
            run.deleteSecrets();
            if (exitCode == 0 && stopCause() == null) {
                startBody();
            } else {
                failure = stopCause() != null ? stopCause()
                        : new AbortException(EngineExit.describe(PROVISION, exitCode, why));
                tearDown();
            }
            return;
        }
        run.deleteSecrets();
        run.delete();
        provisioned.delete();
        AbortException teardownFailed = exitCode == 0 ? null
                : new AbortException(EngineExit.describe(TEARDOWN, exitCode, why));
        if (failure != null) {
            if (teardownFailed != null) {
                failure.addSuppressed(teardownFailed);
            }
            getContext().onFailure(failure);
        } else if (teardownFailed != null) {
            getContext().onFailure(teardownFailed);
        } else {
            getContext().onSuccess(null);
        }
    }

    private void startBody() throws Exception {
        phase = Phase.BODY;
        EnvironmentExpander topology = EnvironmentExpander.constant(
                Map.of(EngineArguments.TOPOLOGY_VARIABLE, provisioned.path()));
        getContext().newBodyInvoker()
                .withContext(EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class), topology))
                .withCallback(new TeardownCallback(this))
                .start();
    }

    synchronized void bodyEnded(Throwable bodyFailure) {
        failure = bodyFailure;
        tearDown();
    }

    private void tearDown() {
        phase = Phase.TEARING_DOWN;
        log("tearing the topology down");
        launch(TEARDOWN, new TreeMap<>(Map.of(EngineArguments.TOPOLOGY, provisioned.path())));
    }

    @Override
    synchronized void engineFailed(Throwable problem) {
        if (phase == Phase.PROVISIONING && engine() == null && provisioned == null) {
            // Nothing was started, so nothing needs removing.
            getContext().onFailure(problem);
        } else if (phase != Phase.TEARING_DOWN) {
            failure = problem;
            if (provisioned == null) {
                provisioned = engine();
            }
            tearDown();
        } else {
            if (failure != null) {
                problem.addSuppressed(failure);
            }
            getContext().onFailure(problem);
        }
    }

    @Override
    synchronized void launchLost() {
        switch (phase) {
            case PROVISIONING -> getContext().onFailure(new AbortException(lostLaunch(PROVISION)));
            // Removing is idempotent: start the teardown again.
            case TEARING_DOWN -> tearDown();
            // The body is resumed by Pipeline; its end starts the teardown.
            case BODY -> { }
        }
    }

    @Override
    public synchronized void stop(Throwable cause) {
        switch (phase) {
            case PROVISIONING -> stopEngine(cause);
            // Pipeline interrupts the steps of the body; its end starts the teardown.
            case BODY -> log("stopping the block; the topology is torn down after it");
            case TEARING_DOWN -> log("the teardown continues so that no guest is left behind");
        }
    }

    private void log(String message) {
        try {
            required(TaskListener.class).getLogger().println("[nested-virt] " + TopologyStep.NAME + ": "
                    + message);
        } catch (Exception e) {
            // The log is a courtesy here; the work goes on without it.
        }
    }

    /** Starts the teardown when the body ends, however it ends. */
    private static final class TeardownCallback extends BodyExecutionCallback {

        private static final long serialVersionUID = 1L;
        private final TopologyExecution execution;

        TeardownCallback(TopologyExecution execution) {
            this.execution = execution;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            execution.bodyEnded(null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            execution.bodyEnded(t);
        }
    }
}
