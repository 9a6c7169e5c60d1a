package io.jenkins.plugins.nestedvirt.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.github.nestedvirt.steps.StepCatalog;
import io.github.nestedvirt.steps.StepParameter;
import io.jenkins.plugins.nestedvirt.results.Permissions;
import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.UninstantiatedDescribable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The descriptor every engine step shares. Jenkins normally reads a step's parameters from its
 * Java fields; these steps take theirs from the engine's step catalog instead, so this
 * descriptor builds steps from named arguments (Pipeline), from the Snippet Generator's form,
 * and turns them back into arguments for the generated snippet.
 */
public abstract class EngineStepDescriptor extends StepDescriptor {

    /** The argument holding a quality gate: the plugin's own, the engine never sees it. */
    public static final String QUALITY_GATE = "qualityGate";

    private final String stepName;
    private final String displayName;

    protected EngineStepDescriptor(String stepName, String displayName) {
        this.stepName = stepName;
        this.displayName = displayName;
    }

    @Override
    public String getFunctionName() {
        return stepName;
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
    }

    /** The engine's parameters of this step, with their help: what the forms show. */
    public List<StepParameter> getParameters() {
        return StepCatalog.parameters(stepName);
    }

    /** The parameter names joined by commas: the fields the "Check parameters" button sends. */
    public String getParameterNames() {
        return FormArguments.names(getParameters());
    }

    @Override
    public Step newInstance(Map<String, Object> arguments) throws Exception {
        Map<String, Object> engine = new LinkedHashMap<>(arguments);
        QualityGateSettings gate = qualityGate(engine.remove(QUALITY_GATE));
        EngineStep step = (EngineStep) clazz.getDeclaredConstructor().newInstance();
        step.configure(new StepArguments(engine, gate));
        return step;
    }

    @Override
    public Step newInstance(StaplerRequest2 request, @NonNull JSONObject form) throws FormException {
        Map<String, Object> arguments = FormArguments.fromForm(getParameters(), form);
        try {
            QualityGateSettings gate = FormArguments.qualityGate(request, form);
            EngineStep step = (EngineStep) clazz.getDeclaredConstructor().newInstance();
            step.configure(new StepArguments(arguments, gate));
            return step;
        } catch (ReflectiveOperationException e) {
            throw new FormException("cannot create " + stepName + ": " + e.getMessage(), e, QUALITY_GATE);
        }
    }

    @Override
    public UninstantiatedDescribable uninstantiate(Step step) {
        EngineStep engineStep = (EngineStep) step;
        Map<String, Object> arguments = new LinkedHashMap<>(engineStep.getArguments());
        if (engineStep.getQualityGate() != null) {
            arguments.put(QUALITY_GATE, DescribableModel.uninstantiate2_(engineStep.getQualityGate()));
        }
        return new UninstantiatedDescribable(arguments);
    }

    /**
     * The Snippet Generator's and the job form's "Check parameters" button: the engine's own
     * verdict on the values typed so far.
     */
    @POST
    public FormValidation doCheckParameters(@AncestorInPath Item item, StaplerRequest2 request) {
        if (!Permissions.canConfigure(item)) {
            return FormValidation.ok();
        }
        return FormArguments.check(stepName, getParameters(), request);
    }

    private static QualityGateSettings qualityGate(Object value) throws Exception {
        if (value == null || value instanceof QualityGateSettings) {
            return (QualityGateSettings) value;
        }
        Map<String, ?> settings;
        if (value instanceof UninstantiatedDescribable described) {
            settings = described.getArguments();
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> named = new LinkedHashMap<>();
            map.forEach((k, v) -> named.put(String.valueOf(k), v));
            settings = named;
        } else {
            throw new IllegalArgumentException(QUALITY_GATE + ": expected qualityGate(baseline: ..., maxPercentWorse: ...,"
                    + " maxAbsoluteWorse: ..., onRegression: ...) or a map of those, not " + value);
        }
        return new DescribableModel<>(QualityGateSettings.class).instantiate(settings);
    }
}
