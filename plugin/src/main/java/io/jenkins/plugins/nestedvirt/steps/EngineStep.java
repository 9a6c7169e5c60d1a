package io.jenkins.plugins.nestedvirt.steps;

import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A Pipeline step that runs one operation of the engine ({@code nestedKernelBuild},
 * {@code nestedGuestfish}, ...). Its parameters are the engine's spec fields, as listed by the
 * engine's step catalog: the step holds them as named values and the engine checks them when
 * the step starts, so the two can never drift apart.
 */
public abstract class EngineStep extends Step {

    private final String stepName;
    private TreeMap<String, Object> arguments = new TreeMap<>();
    private QualityGateSettings qualityGate;

    protected EngineStep(String stepName) {
        this.stepName = stepName;
    }

    /** The engine's name of this step, which is also its Pipeline function name. */
    public String getStepName() {
        return stepName;
    }

    /** The engine arguments as given: named values, unchecked until the step starts. */
    public Map<String, Object> getArguments() {
        return Collections.unmodifiableMap(arguments);
    }

    /** The value of one argument as text for the forms, or empty when not given. */
    public String argumentText(String name) {
        return FormArguments.text(arguments.get(name));
    }

    public QualityGateSettings getQualityGate() {
        return qualityGate;
    }

    void configure(Map<String, ?> engineArguments, QualityGateSettings gate) {
        this.arguments = EngineArguments.plain(engineArguments);
        this.qualityGate = gate;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new EngineStepExecution(context, stepName, arguments, qualityGate);
    }
}
