package io.jenkins.plugins.nestedvirt.results;

import hudson.model.Run;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.trend.BuildSummary;
import io.github.nestedvirt.trend.GateStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.StaplerProxy;

/**
 * One result set of a build (one per {@code resultsId}). Only the small summary lives in
 * {@code build.xml}, so that trend charts over hundreds of builds read a few numbers per build;
 * the full result stays in its own JSON file in the build directory and is read only when its
 * page is opened.
 */
public final class NestedVirtBuildAction implements RunAction2, StaplerProxy {

    static final String RESULTS_DIRECTORY = "nested-virt";

    private final String resultsId;
    private final BuildSummary summary;
    private final GateStatus gateStatus;
    private final ArrayList<String> gateMessages;

    private transient Run<?, ?> owner;
    private transient WeakReference<io.github.nestedvirt.result.Run> result;

    NestedVirtBuildAction(Run<?, ?> owner, String resultsId, BuildSummary summary, GateStatus gateStatus,
            List<String> gateMessages) {
        this.owner = owner;
        this.resultsId = resultsId;
        this.summary = summary;
        this.gateStatus = gateStatus;
        // A plain list: build.xml is written by XStream, which cannot rebuild JDK immutable lists.
        this.gateMessages = new ArrayList<>(gateMessages);
    }

    /** Where the full result of {@code resultsId} is kept in the build directory of {@code build}. */
    static Path resultFile(Run<?, ?> build, String resultsId) {
        return build.getRootDir().toPath().resolve(RESULTS_DIRECTORY).resolve(resultsId + ".json");
    }

    @Override
    public void onAttached(Run<?, ?> run) {
        owner = run;
    }

    @Override
    public void onLoad(Run<?, ?> run) {
        owner = run;
    }

    public Run<?, ?> getOwner() {
        return owner;
    }

    public String getResultsId() {
        return resultsId;
    }

    public BuildSummary getSummary() {
        return summary;
    }

    /** The quality gate's verdict, or null when no gate was configured. */
    public GateStatus getGateStatus() {
        return gateStatus;
    }

    public List<String> getGateMessages() {
        return Collections.unmodifiableList(gateMessages);
    }

    /** The full result, read from the build directory when not in memory any more. */
    public synchronized io.github.nestedvirt.result.Run getResult() {
        io.github.nestedvirt.result.Run known = result == null ? null : result.get();
        if (known == null) {
            Path file = resultFile(owner, resultsId);
            try {
                known = ResultJson.readRun(Files.readAllBytes(file), file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the result of " + owner.getFullDisplayName() + " from "
                        + file + ": " + e.getMessage(), e);
            }
            result = new WeakReference<>(known);
        }
        return known;
    }

    @Override
    public String getIconFileName() {
        return "symbol-analytics";
    }

    @Override
    public String getDisplayName() {
        return "Nested virtualization: " + resultsId;
    }

    @Override
    public String getUrlName() {
        return urlName(resultsId);
    }

    static String urlName(String resultsId) {
        return "nested-virt-" + resultsId;
    }

    @Override
    public Object getTarget() {
        return new NestedVirtViewModel(this);
    }
}
