package io.jenkins.plugins.nestedvirt.results;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.nestedvirt.trend.BaselineChoice;
import io.github.nestedvirt.trend.GateStatus;
import io.github.nestedvirt.trend.QualityGate;
import java.io.Serializable;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What a user configures for a quality gate on a step: against which builds a result is
 * compared, how much worse it may get, and what the build becomes when it gets worse.
 * The comparison itself is the engine's {@link QualityGate}.
 */
public final class QualityGateSettings extends AbstractDescribableImpl<QualityGateSettings> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final BaselineChoice baseline;
    private final double maxPercentWorse;
    private final double maxAbsoluteWorse;
    private final GateStatus onRegression;
    private int lastBuilds = QualityGate.DEFAULT_LAST_BUILDS;
    private int chosenBuild;

    @DataBoundConstructor
    public QualityGateSettings(BaselineChoice baseline, double maxPercentWorse, double maxAbsoluteWorse,
            GateStatus onRegression) {
        this.baseline = baseline == null ? BaselineChoice.PREVIOUS_BUILD : baseline;
        this.maxPercentWorse = maxPercentWorse;
        this.maxAbsoluteWorse = maxAbsoluteWorse;
        this.onRegression = onRegression == null ? GateStatus.UNSTABLE : onRegression;
    }

    public BaselineChoice getBaseline() {
        return baseline;
    }

    public double getMaxPercentWorse() {
        return maxPercentWorse;
    }

    public double getMaxAbsoluteWorse() {
        return maxAbsoluteWorse;
    }

    public GateStatus getOnRegression() {
        return onRegression;
    }

    /** How many earlier builds {@link BaselineChoice#MEDIAN_OF_LAST_N} takes the median of. */
    public int getLastBuilds() {
        return lastBuilds;
    }

    @DataBoundSetter
    public void setLastBuilds(int lastBuilds) {
        this.lastBuilds = lastBuilds;
    }

    /** The build {@link BaselineChoice#CHOSEN_BUILD} compares against. */
    public int getChosenBuild() {
        return chosenBuild;
    }

    @DataBoundSetter
    public void setChosenBuild(int chosenBuild) {
        this.chosenBuild = chosenBuild;
    }

    /**
     * The engine's gate for these settings.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public QualityGate toGate() {
        QualityGate gate = new QualityGate(baseline, maxPercentWorse, maxAbsoluteWorse, onRegression);
        // the engine keeps only the setting its baseline uses: an unused one is never refused
        if (baseline == BaselineChoice.MEDIAN_OF_LAST_N) {
            gate.setLastBuilds(lastBuilds);
        } else if (baseline == BaselineChoice.CHOSEN_BUILD) {
            gate.setChosenBuild(chosenBuild);
        }
        return gate;
    }

    @Extension
    @Symbol("qualityGate")
    public static final class DescriptorImpl extends Descriptor<QualityGateSettings> {

        @Override
        public String getDisplayName() {
            return "Quality gate";
        }

        @POST
        public ListBoxModel doFillBaselineItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            if (Permissions.canConfigure(item)) {
                for (BaselineChoice choice : BaselineChoice.values()) {
                    items.add(choice.name());
                }
            }
            return items;
        }

        @POST
        public ListBoxModel doFillOnRegressionItems(@AncestorInPath Item item) {
            ListBoxModel items = new ListBoxModel();
            if (Permissions.canConfigure(item)) {
                items.add(GateStatus.UNSTABLE.name());
                items.add(GateStatus.FAILURE.name());
            }
            return items;
        }

        @POST
        public FormValidation doCheckMaxPercentWorse(@AncestorInPath Item item, @QueryParameter double value) {
            if (!Permissions.canConfigure(item)) {
                return FormValidation.ok();
            }
            return value < 0 ? FormValidation.error("A percentage above 0, e.g. 5 for 5 % worse than the baseline")
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckMaxAbsoluteWorse(@AncestorInPath Item item, @QueryParameter double value) {
            if (!Permissions.canConfigure(item)) {
                return FormValidation.ok();
            }
            return value < 0 ? FormValidation.error("An amount in the metric's own unit, 0 or more")
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckLastBuilds(@AncestorInPath Item item, @QueryParameter int value) {
            if (!Permissions.canConfigure(item)) {
                return FormValidation.ok();
            }
            return value < 2 ? FormValidation.error("At least 2 earlier builds; to compare with one build choose"
                    + " PREVIOUS_BUILD") : FormValidation.ok();
        }
    }
}
