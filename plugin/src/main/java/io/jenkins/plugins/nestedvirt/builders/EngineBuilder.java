package io.jenkins.plugins.nestedvirt.builders;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import io.jenkins.plugins.nestedvirt.engine.EngineProgress;
import io.jenkins.plugins.nestedvirt.engine.EngineRun;
import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import io.jenkins.plugins.nestedvirt.results.ResultPublisher;
import io.jenkins.plugins.nestedvirt.steps.EngineArguments;
import io.jenkins.plugins.nestedvirt.steps.EngineExit;
import io.jenkins.plugins.nestedvirt.steps.StepArguments;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import jenkins.tasks.SimpleBuildStep;

/**
 * A freestyle build step running one engine operation, the same operation and parameters as
 * the Pipeline step of that name. A freestyle build holds its executor while it runs, so this
 * step simply waits for the engine; an abort stops the engine, which removes its guests.
 */
public abstract class EngineBuilder extends Builder implements SimpleBuildStep {

    private static final long MIN_DELAY_MS = 250;
    private static final long MAX_DELAY_MS = 15_000;
    private static final Duration STOP_GRACE = Duration.ofMinutes(5);

    private final String stepName;
    private StepArguments arguments = StepArguments.none();

    protected EngineBuilder(String stepName) {
        this.stepName = stepName;
    }

    public String getStepName() {
        return stepName;
    }

    public Map<String, Object> getArguments() {
        return arguments.values();
    }

    /** For the form: one argument as text. */
    public String argumentText(String name) {
        return arguments.text(name);
    }

    public QualityGateSettings getQualityGate() {
        return arguments.qualityGate();
    }

    void configure(StepArguments given) {
        this.arguments = given;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        TreeMap<String, Object> values = EngineArguments.withTopologyFrom(stepName, arguments.copy(),
                env.get(EngineArguments.TOPOLOGY_VARIABLE));
        EngineRun engine = EngineRun.start(workspace, stepName, values, Map.of(), listener);
        EngineProgress progress = waitForExit(engine, listener);
        engine.deleteSecrets();
        ResultPublisher.publish(run, workspace, engine, EngineArguments.resultsId(stepName, values),
                arguments.qualityGate(), listener);
        int code = progress.exitCode() == null ? -1 : progress.exitCode();
        if (EngineArguments.PROVISION.equals(stepName)) {
            // The run directory is the topology's record now: later build steps reach it.
            run.addAction(new TopologyEnvironmentAction(engine.path()));
            listener.getLogger().println("[nested-virt] topology recorded in " + engine.path() + "; later build"
                    + " steps of this build get it as " + EngineArguments.TOPOLOGY_VARIABLE);
        } else {
            engine.delete();
        }
        if (code != 0) {
            String why = progress.vanished() ? "the engine process vanished without writing its exit code" : null;
            throw new AbortException(EngineExit.describe(stepName, code, why));
        }
    }

    private static EngineProgress waitForExit(EngineRun engine, TaskListener listener)
            throws IOException, InterruptedException {
        long delay = MIN_DELAY_MS;
        try {
            while (true) {
                EngineProgress progress = engine.look(listener);
                if (progress.exited() || progress.vanished()) {
                    return progress;
                }
                boolean output = !progress.log().isEmpty() || progress.moreLog();
                delay = output ? MIN_DELAY_MS : Math.min(MAX_DELAY_MS, delay * 3 / 2);
                Thread.sleep(delay);
            }
        } catch (InterruptedException e) {
            listener.getLogger().println("[nested-virt] aborted: stopping the engine; it removes its guests");
            engine.stop(STOP_GRACE);
            engine.look(listener);
            throw e;
        }
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }
}
