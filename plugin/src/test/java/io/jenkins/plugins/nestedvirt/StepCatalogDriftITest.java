package io.jenkins.plugins.nestedvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.nestedvirt.steps.StepCatalog;
import io.github.nestedvirt.steps.StepParameter;
import io.jenkins.plugins.nestedvirt.builders.EngineBuilderDescriptor;
import io.jenkins.plugins.nestedvirt.steps.EngineStep;
import io.jenkins.plugins.nestedvirt.steps.EngineStepDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The plugin's steps and build steps are exactly the engine's step catalog: same names, same
 * parameters, and a step's arguments survive the Snippet Generator's round trip.
 */
@WithJenkins
class StepCatalogDriftITest {

    @Test
    void everyCatalogStepIsAPipelineStepWithTheCatalogsParameters(JenkinsRule j) {
        for (String name : StepCatalog.stepNames()) {
            StepDescriptor descriptor = StepDescriptor.byFunctionName(name);
            assertInstanceOf(EngineStepDescriptor.class, descriptor, "Pipeline step " + name);
            assertEquals(StepCatalog.parameters(name), ((EngineStepDescriptor) descriptor).getParameters(),
                    "parameters of " + name);
        }
    }

    @Test
    void everyPluginStepIsInTheCatalog(JenkinsRule j) {
        List<String> pluginSteps = j.jenkins.getExtensionList(StepDescriptor.class).stream()
                .filter(EngineStepDescriptor.class::isInstance).map(StepDescriptor::getFunctionName)
                .sorted().collect(Collectors.toList());
        assertEquals(StepCatalog.stepNames().stream().sorted().toList(), pluginSteps);
    }

    @Test
    void everyBuildStepOffersTheCatalogsParameters(JenkinsRule j) {
        List<EngineBuilderDescriptor> builders = j.jenkins.getExtensionList(EngineBuilderDescriptor.class);
        // Every operation but the block step, which needs a Pipeline body.
        assertEquals(StepCatalog.stepNames().size() - 1, builders.size());
        for (EngineBuilderDescriptor builder : builders) {
            assertNotNull(builder.getParameters());
        }
    }

    @Test
    void argumentsSurviveTheSnippetGenerator(JenkinsRule j) throws Exception {
        for (String name : StepCatalog.stepNames()) {
            EngineStepDescriptor descriptor = (EngineStepDescriptor) StepDescriptor.byFunctionName(name);
            Map<String, Object> arguments = new TreeMap<>();
            for (StepParameter parameter : StepCatalog.parameters(name)) {
                arguments.put(parameter.name(), "value-of-" + parameter.name());
            }
            EngineStep step = (EngineStep) descriptor.newInstance(new LinkedHashMap<>(arguments));
            assertEquals(arguments, step.getArguments(), name);
            assertEquals(arguments, descriptor.uninstantiate(step).getArguments(), name);
        }
    }
}
