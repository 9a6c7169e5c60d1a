package io.jenkins.plugins.nestedvirt.steps;

import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import java.util.Map;
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
    private StepArguments arguments = StepArguments.none();

    protected EngineStep(String stepName) {
        this.stepName = stepName;
    }

    /** The engine's name of this step, which is also its Pipeline function name. */
    public String getStepName() {
        return stepName;
    }

    /** The engine arguments as given: named values, unchecked until the step starts. */
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

    StepArguments arguments() {
        return arguments;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new EngineStepExecution(context, stepName, arguments.copy(), arguments.qualityGate());
    }
}
