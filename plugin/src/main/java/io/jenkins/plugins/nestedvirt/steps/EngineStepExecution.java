package io.jenkins.plugins.nestedvirt.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.nestedvirt.engine.EngineRun;
import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import io.jenkins.plugins.nestedvirt.results.ResultPublisher;
import java.util.TreeMap;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs one engine step to its end: checks the arguments with the engine at once, starts the
 * engine on the agent, and when it exits publishes its result and completes with its exit code.
 */
final class EngineStepExecution extends EngineExecution {

    private static final long serialVersionUID = 1L;

    private final String step;
    private final TreeMap<String, Object> arguments;
    private final QualityGateSettings qualityGate;

    EngineStepExecution(StepContext context, String step, TreeMap<String, Object> arguments,
            QualityGateSettings qualityGate) {
        super(context);
        this.step = step;
        this.arguments = arguments;
        this.qualityGate = qualityGate;
    }

    @Override
    public boolean start() throws Exception {
        EnvVars env = required(EnvVars.class);
        TreeMap<String, Object> effective = EngineArguments.withTopologyFrom(step, arguments,
                env.get(EngineArguments.TOPOLOGY_VARIABLE));
        // The engine checks the arguments on the agent before it starts (AgentCalls.Start).
        launch(step, effective);
        return false;
    }

    @Override
    void engineExited(EngineRun run, int exitCode, String why) throws Exception {
        TaskListener listener = required(TaskListener.class);
        boolean provision = EngineArguments.PROVISION.equals(step);
        String junit;
        try {
            run.deleteSecrets();
            junit = ResultPublisher.publish(required(Run.class), required(FilePath.class), run,
                    EngineArguments.resultsId(step, arguments), qualityGate, listener);
            if (provision) {
                listener.getLogger().println("[nested-virt] topology recorded in " + run.path()
                        + "; pass it as 'topology' to later steps and to nestedTeardown");
            } else {
                run.delete();
            }
        } catch (Exception e) {
            listener.getLogger().println("[nested-virt] could not take the results of " + run.path() + ": " + e);
            getContext().onFailure(e);
            return;
        }
        if (stopCause() != null) {
            getContext().onFailure(stopCause());
        } else if (exitCode == 0) {
            // nestedProvision returns its topology: def topology = nestedProvision(...);
            // nestedKvmUnitTests its JUnit XML: junit(nestedKvmUnitTests(...))
            getContext().onSuccess(provision ? run.path() : junit);
        } else {
            getContext().onFailure(new AbortException(EngineExit.describe(step, exitCode, why)));
        }
    }

    @Override
    void engineFailed(Throwable failure) {
        getContext().onFailure(failure);
    }

    @Override
    void launchLost() {
        getContext().onFailure(new AbortException(lostLaunch(step)));
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        // The engine removes its guests and exits; the watch then completes the step.
        stopEngine(cause);
    }
}
