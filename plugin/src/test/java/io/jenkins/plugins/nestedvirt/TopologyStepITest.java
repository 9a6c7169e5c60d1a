package io.jenkins.plugins.nestedvirt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code nestedTopology} provisions a real (TCG) topology, hands it to its body, and tears it
 * down whether the body succeeds, fails or is aborted.
 */
@WithJenkins
class TopologyStepITest {

    private static final Pattern TOPOLOGY = Pattern.compile("TOPOLOGY=(\\S+)");

    private JenkinsRule j;

    @BeforeEach
    void builtInNodeRunsBuilds(JenkinsRule rule) throws Exception {
        j = rule;
        j.jenkins.setNumExecutors(2);
    }

    @Test
    void theBodySeesTheTopologyAndTeardownFollows() throws Exception {
        WorkflowRun run = j.buildAndAssertSuccess(job("ok", "echo \"TOPOLOGY=${env.NVMX_TOPOLOGY}\""));

        Path topology = topologyOf(run);
        j.assertLogContains("[nested-virt] nestedProvision: engine started", run);
        j.assertLogContains("[nested-virt] nestedTeardown: engine started", run);
        assertFalse(Files.exists(topology), "the run directory is removed after teardown: " + topology);
    }

    @Test
    void aFailingBodyStillTearsDownAndTheBuildFailsWithTheBodysError() throws Exception {
        WorkflowJob job = job("failing", "echo \"TOPOLOGY=${env.NVMX_TOPOLOGY}\"; error 'the body failed'");
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);

        j.assertLogContains("the body failed", run);
        j.assertLogContains("[nested-virt] nestedTeardown: engine started", run);
        assertFalse(Files.exists(topologyOf(run)));
    }

    @Test
    void anAbortedBodyStillTearsDown() throws Exception {
        WorkflowJob job = job("aborted", "echo \"TOPOLOGY=${env.NVMX_TOPOLOGY}\"; sleep 3600");
        WorkflowRun run = job.scheduleBuild2(0).waitForStart();
        j.waitForMessage("TOPOLOGY=", run);

        run.doStop();
        j.waitForCompletion(run);

        j.assertBuildStatus(Result.ABORTED, run);
        j.assertLogContains("[nested-virt] nestedTeardown: engine started", run);
        assertFalse(Files.exists(topologyOf(run)));
    }

    private WorkflowJob job(String name, String body) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition("node { nestedTopology(" + TestTopologies.tcgTestArguments() + ") { "
                + body + " } }", true));
        return job;
    }

    private static Path topologyOf(WorkflowRun run) throws Exception {
        Matcher matcher = TOPOLOGY.matcher(JenkinsRule.getLog(run));
        assertTrue(matcher.find(), "the body printed NVMX_TOPOLOGY");
        return Path.of(matcher.group(1));
    }
}
