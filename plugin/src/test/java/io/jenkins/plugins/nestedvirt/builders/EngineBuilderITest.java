package io.jenkins.plugins.nestedvirt.builders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.github.nestedvirt.steps.StepParameter;
import io.github.nestedvirt.trend.BaselineChoice;
import io.github.nestedvirt.trend.GateStatus;
import io.jenkins.plugins.nestedvirt.results.QualityGateSettings;
import io.jenkins.plugins.nestedvirt.steps.StepArguments;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The freestyle build steps: configuration survives the job form, and a build runs the engine. */
@WithJenkins
class EngineBuilderITest {

    @Test
    void everyBuildStepKeepsItsArgumentsAndGateThroughTheJobForm(JenkinsRule j) throws Exception {
        for (EngineBuilderDescriptor descriptor : j.jenkins.getExtensionList(EngineBuilderDescriptor.class)) {
            EngineBuilder builder = (EngineBuilder) descriptor.clazz.getDeclaredConstructor().newInstance();
            Map<String, Object> arguments = new TreeMap<>();
            List<StepParameter> parameters = descriptor.getParameters();
            if (!parameters.isEmpty()) {
                StepParameter first = parameters.get(0);
                arguments.put(first.name(), "from-the-form");
            }
            QualityGateSettings gate = new QualityGateSettings(BaselineChoice.MEDIAN_OF_LAST_N, 5, 0,
                    GateStatus.FAILURE);
            gate.setLastBuilds(7);
            builder.configure(new StepArguments(arguments, gate));
            FreeStyleProject project = j.createFreeStyleProject();
            project.getBuildersList().add(builder);

            j.configRoundtrip(project);

            EngineBuilder after = (EngineBuilder) project.getBuildersList().get(0);
            assertEquals(builder.getClass(), after.getClass());
            assertEquals(arguments, after.getArguments(), descriptor.getDisplayName());
            assertNotNull(after.getQualityGate(), descriptor.getDisplayName());
            j.assertEqualDataBoundBeans(gate, after.getQualityGate());
        }
    }

    @Test
    void theFormHasHelpForThePluginsOwnFields(JenkinsRule j) throws Exception {
        j.assertHelpExists(PreflightBuilder.class, "qualityGate");
        j.assertHelpExists(QualityGateSettings.class,
                "baseline,lastBuilds,chosenBuild,maxPercentWorse,maxAbsoluteWorse,onRegression");
    }

    @Test
    void aFreestyleBuildRunsPreflightOnItsNode(JenkinsRule j) throws Exception {
        j.jenkins.setNumExecutors(2);
        FreeStyleProject project = j.createFreeStyleProject();
        project.getBuildersList().add(new PreflightBuilder());

        FreeStyleBuild build = j.waitForCompletion(project.scheduleBuild2(0).waitForStart());

        j.assertLogContains("[nested-virt] nestedPreflight: engine started", build);
        if (build.getResult() != Result.SUCCESS) {
            // A host whose KVM cannot run guests (as in CI here) fails preflight, with the reason.
            j.assertLogContains("exit code 4: preflight found a problem", build);
        }
        assertFalse(JenkinsRule.getLog(build).contains("Exception"), JenkinsRule.getLog(build));
    }
}
