package io.jenkins.plugins.nestedvirt.results;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.trend.BaselineChoice;
import io.github.nestedvirt.trend.BuildSummary;
import io.github.nestedvirt.trend.GateResult;
import io.github.nestedvirt.trend.GateStatus;
import io.github.nestedvirt.trend.QualityGate;
import io.jenkins.plugins.nestedvirt.engine.EngineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes what an engine run left in its run directory into the build: the result as a build
 * action (summary in {@code build.xml}, full JSON in the build directory), the quality gate's
 * verdict as the build's result, and the kvm-unit-tests JUnit XML into the workspace for the
 * {@code junit} step.
 */
public final class ResultPublisher {

    /** Workspace folder the kvm-unit-tests JUnit XML files are copied to. */
    public static final String JUNIT_DIRECTORY = "nested-virt-junit";
    /** Builds searched for a baseline at most: each one searched loads its build.xml. */
    static final int BASELINE_LOOK_BACK = 100;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private ResultPublisher() {
    }

    /**
     * Publishes the result of {@code engine} under {@code resultsId}, if the step wrote one.
     *
     * @param gate the quality gate, or null for none
     * @return the workspace-relative path of the kvm-unit-tests JUnit XML the step wrote (what
     *     {@code junit(nestedKvmUnitTests(...))} publishes), or null when it wrote none
     */
    public static String publish(Run<?, ?> build, FilePath workspace, EngineRun engine, String resultsId,
            QualityGateSettings gate, TaskListener listener) throws IOException, InterruptedException {
        requireSafe(resultsId);
        String junit = null;
        if (engine.copyJunitTo(workspace.child(JUNIT_DIRECTORY).child(resultsId + ".xml"))) {
            junit = JUNIT_DIRECTORY + "/" + resultsId + ".xml";
            listener.getLogger().println("[nested-virt] kvm-unit-tests results for the junit step: " + junit);
        }
        byte[] json = engine.result();
        if (json != null) {
            record(build, resultsId, json, engine.path() + "/result.json", gate, listener);
        }
        return junit;
    }

    /**
     * Records a result (the bytes of a {@code result.json}) in {@code build} under
     * {@code resultsId}, and applies {@code gate} (null for none) to the build's result.
     */
    public static void record(Run<?, ?> build, String resultsId, byte[] json, String source,
            QualityGateSettings gate, TaskListener listener) throws IOException {
        requireSafe(resultsId);
        String id = freeResultsId(build, resultsId, listener);
        io.github.nestedvirt.result.Run result = ResultJson.readRun(json, source);
        Path file = NestedVirtBuildAction.resultFile(build, id);
        Files.createDirectories(file.getParent());
        Files.write(file, json);

        GateResult verdict = gate == null ? null : evaluate(build, id, result, gate);
        List<String> messages = verdict == null ? List.of() : verdict.messages();
        messages.forEach(message -> listener.getLogger().println("[nested-virt] quality gate: " + message));
        GateStatus status = verdict == null ? null : verdict.status();
        if (status == GateStatus.UNSTABLE) {
            build.setResult(Result.UNSTABLE);
        } else if (status == GateStatus.FAILURE) {
            build.setResult(Result.FAILURE);
        }
        build.addAction(new NestedVirtBuildAction(build, id, BuildSummary.of(id, result), status, messages));
        build.save();
        listener.getLogger().println("[nested-virt] results '" + id + "': " + build.getUrl()
                + NestedVirtBuildAction.urlName(id));
    }

    /** A results id names a file and a URL: it must not reach outside either. */
    static void requireSafe(String resultsId) throws AbortException {
        if (!SAFE_ID.matcher(resultsId).matches()) {
            throw new AbortException("resultsId '" + resultsId + "': use letters, digits, '.', '_' and '-' only,"
                    + " e.g. kernel-l2-shadow-vmcs-off");
        }
    }

    /**
     * Two steps of one build with the same result set id would overwrite each other: the second
     * one is kept under a numbered id, and the log says how to name it.
     */
    private static String freeResultsId(Run<?, ?> build, String resultsId, TaskListener listener) {
        String id = resultsId;
        for (int n = 2; find(build, id) != null; n++) {
            id = resultsId + "-" + n;
        }
        if (!id.equals(resultsId)) {
            listener.getLogger().println("[nested-virt] this build already has results '" + resultsId
                    + "'; these are kept as '" + id + "'. Give each step its own resultsId to keep trends apart.");
        }
        return id;
    }

    static NestedVirtBuildAction find(Run<?, ?> build, String resultsId) {
        for (NestedVirtBuildAction action : build.getActions(NestedVirtBuildAction.class)) {
            if (action.getResultsId().equals(resultsId)) {
                return action;
            }
        }
        return null;
    }

    private static GateResult evaluate(Run<?, ?> build, String resultsId, io.github.nestedvirt.result.Run current,
            QualityGateSettings settings) {
        QualityGate gate;
        try {
            gate = settings.toGate();
        } catch (IllegalArgumentException e) {
            // the results are kept; the build fails and says which setting to mend
            return new GateResult(GateStatus.FAILURE, List.of(e.getMessage() + " (the step's qualityGate settings)"));
        }
        List<io.github.nestedvirt.result.Run> baseline = baselineRuns(build, resultsId, settings);
        if (baseline.isEmpty()) {
            return new GateResult(GateStatus.PASSED, List.of("no earlier build has results '" + resultsId
                    + "' to compare with (" + settings.getBaseline() + "); the gate passes"));
        }
        return gate.evaluate(current, baseline);
    }

    /** The earlier results the gate compares with, oldest first (as the engine's gate takes them). */
    static List<io.github.nestedvirt.result.Run> baselineRuns(Run<?, ?> build, String resultsId,
            QualityGateSettings gate) {
        List<io.github.nestedvirt.result.Run> runs = new ArrayList<>();
        if (gate.getBaseline() == BaselineChoice.CHOSEN_BUILD) {
            Run<?, ?> chosen = build.getParent().getBuildByNumber(gate.getChosenBuild());
            NestedVirtBuildAction action = chosen == null ? null : find(chosen, resultsId);
            if (action != null) {
                runs.add(action.getResult());
            }
            return runs;
        }
        int wanted = gate.getBaseline() == BaselineChoice.PREVIOUS_BUILD ? 1 : Math.max(1, gate.getLastBuilds());
        int looked = 0;
        for (Run<?, ?> earlier = build.getPreviousBuild(); earlier != null && runs.size() < wanted
                && looked < BASELINE_LOOK_BACK; earlier = earlier.getPreviousBuild(), looked++) {
            NestedVirtBuildAction action = find(earlier, resultsId);
            if (action != null) {
                runs.add(action.getResult());
            }
        }
        Collections.reverse(runs);
        return runs;
    }
}
