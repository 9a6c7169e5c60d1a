package io.jenkins.plugins.nestedvirt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import io.github.nestedvirt.steps.StepCatalog;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The Pipeline steps run the engine for real on the built-in node of a test Jenkins. */
@WithJenkins
class EngineStepsITest {

    private JenkinsRule j;

    @BeforeEach
    void builtInNodeRunsBuilds(JenkinsRule rule) throws Exception {
        j = rule;
        j.jenkins.setNumExecutors(2);
    }

    @Test
    void preflightRunsTheEngineOnTheAgentAndStreamsItsLog() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "preflight");
        job.setDefinition(new CpsFlowDefinition("node { nestedPreflight() }", true));
        WorkflowRun run = j.waitForCompletion(job.scheduleBuild2(0).waitForStart());

        j.assertLogContains("[nested-virt] nestedPreflight: engine started", run);
        // The engine's own report reached the build log through the run directory.
        j.assertLogContains("kvm", run);
        if (run.getResult() != Result.SUCCESS) {
            // A host whose KVM cannot run guests (as in CI here) fails preflight, with the reason.
            j.assertLogContains("nestedPreflight failed with exit code 4: preflight found a problem", run);
        }
    }

    @Test
    void aWrongParameterFailsEveryStepAtOnceWithTheEnginesMessage() throws Exception {
        for (String step : StepCatalog.stepNames()) {
            WorkflowJob job = j.createProject(WorkflowJob.class, "wrong-" + step);
            String body = step.equals("nestedTopology") ? " { echo 'body' }" : "";
            job.setDefinition(new CpsFlowDefinition("node { " + step + "(noSuchParameter: 'x')" + body + " }", true));
            WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);

            String log = JenkinsRule.getLog(run);
            String expected = "noSuchParameter";
            assertTrue(log.contains(expected), step + " names what is wrong (" + expected + "):\n" + log);
            assertFalse(log.contains("engine started"), step + " started nothing:\n" + log);
        }
    }

    @Test
    void aStepWithoutANodeIsRefusedBeforeAnythingRuns() throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "no-node");
        job.setDefinition(new CpsFlowDefinition("nestedPreflight()", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("node", run);
        j.assertLogNotContains("engine started", run);
    }
}
