package io.jenkins.plugins.nestedvirt.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edu.hm.hafner.echarts.ChartModelConfiguration;
import edu.hm.hafner.echarts.line.LinesChartModel;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.trend.BaselineChoice;
import io.github.nestedvirt.trend.GateStatus;
import io.github.nestedvirt.trend.TrendChartKind;
import io.jenkins.plugins.nestedvirt.TestResults;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestBuilder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Results recorded in builds: trend charts drawn from the summaries of many builds, kept when
 * the latest build failed, the build page, and the quality gate setting the build result.
 */
@WithJenkins
class TrendAndGateITest {

    private static final String RESULTS_ID = "kernel";

    @Test
    void aTrendOfAThousandBuildsIsDrawnFromSummariesOnly(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject();
        project.getBuildersList().add(new RecordKernelBuild(100, null));
        for (int i = 0; i < 1000; i++) {
            j.buildAndAssertSuccess(project);
        }
        // Without the full results the charts must still draw: they read build.xml summaries only.
        for (FreeStyleBuild build : project.getBuilds()) {
            Files.delete(NestedVirtBuildAction.resultFile(build, RESULTS_ID));
        }

        TrendChartView chart = new TrendChartView(project, RESULTS_ID, TrendChartKind.KERNEL_BUILD);
        LinesChartModel model = chart.model(1000,
                new ChartModelConfiguration(ChartModelConfiguration.AxisType.BUILD, 1000, 0));

        assertEquals(1000, model.getBuildNumbers().size());
        assertFalse(model.getSeries().isEmpty(), "kernel build time per level is charted");
        assertTrue(chart.isTrendVisible());
    }

    @Test
    void theChartsStayWhenTheLatestBuildFailed(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject();
        project.getBuildersList().add(new RecordKernelBuild(100, null));
        j.buildAndAssertSuccess(project);
        j.buildAndAssertSuccess(project);
        project.getBuildersList().clear();
        project.getBuildersList().add(new TestBuilder() {
            @Override
            public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) {
                return false;
            }
        });
        j.buildAndAssertStatus(Result.FAILURE, project);

        NestedVirtJobAction trends = project.getAction(NestedVirtJobAction.class);
        assertNotNull(trends, "the job keeps its trend charts after a failed build");
        assertTrue(trends.getCharts().stream().anyMatch(TrendChartView::isTrendVisible));
        j.createWebClient().getPage(project);
    }

    @Test
    void theBuildPageShowsTheResult(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject();
        project.getBuildersList().add(new RecordKernelBuild(100, null));
        FreeStyleBuild build = j.buildAndAssertSuccess(project);

        String page = j.createWebClient().goTo(build.getUrl() + NestedVirtBuildAction.urlName(RESULTS_ID) + "/")
                .getWebResponse().getContentAsString();

        assertTrue(page.contains("kernel-build"), page);
    }

    @Test
    void aSlowerKernelBuildTurnsTheBuildUnstable(JenkinsRule j) throws Exception {
        FreeStyleProject project = j.createFreeStyleProject();
        QualityGateSettings gate = new QualityGateSettings(BaselineChoice.PREVIOUS_BUILD, 5, 0, GateStatus.UNSTABLE);
        project.getBuildersList().add(new RecordKernelBuild(100, gate));
        j.buildAndAssertSuccess(project);

        project.getBuildersList().clear();
        project.getBuildersList().add(new RecordKernelBuild(150, gate));
        FreeStyleBuild slower = j.buildAndAssertStatus(Result.UNSTABLE, project);

        NestedVirtBuildAction action = ResultPublisher.find(slower, RESULTS_ID);
        assertEquals(GateStatus.UNSTABLE, action.getGateStatus());
        assertFalse(action.getGateMessages().isEmpty());
        // the slower build's page compares it with the previous build's results
        String previousRun = ResultPublisher.find(slower.getPreviousBuild(), RESULTS_ID).getResult().id();
        String page = j.createWebClient().goTo(slower.getUrl() + NestedVirtBuildAction.urlName(RESULTS_ID) + "/")
                .getWebResponse().getContentAsString();
        assertTrue(page.contains(previousRun), page);
    }

    /** Records a kernel build result as the engine would have written it. */
    private static final class RecordKernelBuild extends TestBuilder {
        private final double seconds;
        private final QualityGateSettings gate;

        RecordKernelBuild(double seconds, QualityGateSettings gate) {
            this.seconds = seconds;
            this.gate = gate;
        }

        @Override
        public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
                throws IOException {
            byte[] json = ResultJson.write(TestResults.kernelBuild(Instant.ofEpochMilli(build.getStartTimeInMillis()),
                    seconds));
            ResultPublisher.record(build, RESULTS_ID, json, "test", gate, listener);
            return true;
        }
    }
}
