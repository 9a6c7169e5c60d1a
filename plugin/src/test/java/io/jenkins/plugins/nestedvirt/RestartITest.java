package io.jenkins.plugins.nestedvirt;

import static org.junit.jupiter.api.Assertions.assertFalse;

import hudson.model.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart while the engine provisions: the step finds its run directory again,
 * goes on streaming the log, runs the body and tears down.
 */
class RestartITest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aRunningEngineStepResumesAfterARestart() throws Throwable {
        sessions.then(j -> {
            j.jenkins.setNumExecutors(2);
            WorkflowJob job = j.createProject(WorkflowJob.class, "restarted");
            job.setDefinition(new CpsFlowDefinition("node { nestedTopology(" + TestTopologies.tcgTestArguments()
                    + ") { echo \"TOPOLOGY=${env.NVMX_TOPOLOGY}\" } }", true));
            WorkflowRun run = job.scheduleBuild2(0).waitForStart();
            // Booting a TCG guest hypervisor takes far longer than the restart below.
            j.waitForMessage("[nested-virt] nestedProvision: engine started", run);
        });
        sessions.then(j -> {
            WorkflowJob job = j.jenkins.getItemByFullName("restarted", WorkflowJob.class);
            WorkflowRun run = job.getBuildByNumber(1);
            j.waitForCompletion(run);

            j.assertBuildStatus(Result.SUCCESS, run);
            j.assertLogContains("[nested-virt] nestedTeardown: engine started", run);
            Matcher topology = Pattern.compile("TOPOLOGY=(\\S+)").matcher(JenkinsRule.getLog(run));
            org.junit.jupiter.api.Assertions.assertTrue(topology.find(), "the body ran after the restart");
            assertFalse(Files.exists(Path.of(topology.group(1))), "teardown removed the run directory");
        });
    }
}
