package io.jenkins.plugins.nestedvirt.builders;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import io.github.nestedvirt.steps.StepCatalog;
import io.github.nestedvirt.steps.StepParameter;
import io.jenkins.plugins.nestedvirt.results.Permissions;
import io.jenkins.plugins.nestedvirt.steps.FormArguments;
import io.jenkins.plugins.nestedvirt.steps.StepArguments;
import java.util.List;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/** The descriptor every engine build step shares: its form is the engine's step catalog. */
public abstract class EngineBuilderDescriptor extends BuildStepDescriptor<Builder> {

    private final String stepName;
    private final String displayName;

    protected EngineBuilderDescriptor(String stepName, String displayName) {
        this.stepName = stepName;
        this.displayName = displayName;
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public boolean isApplicable(Class<? extends AbstractProject> jobType) {
        return true;
    }

    /** The engine's parameters of this operation, with their help: what the form shows. */
    public List<StepParameter> getParameters() {
        return StepCatalog.parameters(stepName);
    }

    /** The parameter names joined by commas: the fields the "Check parameters" button sends. */
    public String getParameterNames() {
        return FormArguments.names(getParameters());
    }

    @Override
    public Builder newInstance(StaplerRequest2 request, @NonNull JSONObject form) throws FormException {
        try {
            EngineBuilder builder = (EngineBuilder) clazz.getDeclaredConstructor().newInstance();
            builder.configure(new StepArguments(FormArguments.fromForm(getParameters(), form),
                    FormArguments.qualityGate(request, form)));
            return builder;
        } catch (ReflectiveOperationException e) {
            throw new FormException("cannot create " + stepName + ": " + e.getMessage(), e, "qualityGate");
        }
    }

    /** The form's "Check parameters" button: the engine's own verdict on the values typed so far. */
    @POST
    public FormValidation doCheckParameters(@AncestorInPath Item item, StaplerRequest2 request) {
        if (!Permissions.canConfigure(item)) {
            return FormValidation.ok();
        }
        return FormArguments.check(stepName, getParameters(), request);
    }
}
