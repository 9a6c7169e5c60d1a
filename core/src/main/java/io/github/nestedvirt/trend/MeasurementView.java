package io.github.nestedvirt.trend;

import io.github.nestedvirt.compare.Comparison;
import io.github.nestedvirt.compare.ComparisonText;
import io.github.nestedvirt.result.Figures;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Summary;

/** One measurement as the build page shows it: its statistics, formatted, and the change since the previous build. */
public final class MeasurementView {

    private final Measurement measurement;
    private final Summary summary;
    private final Comparison comparison;

    MeasurementView(Measurement measurement, Comparison comparison) {
        this.measurement = measurement;
        this.summary = measurement.values().length == 0 ? null : Summary.of(measurement);
        this.comparison = comparison;
    }

    public String getKey() {
        return measurement.key();
    }

    public String getBenchmark() {
        return measurement.benchmark();
    }

    public String getMetric() {
        return measurement.metric();
    }

    public String getLevel() {
        return String.valueOf(measurement.level());
    }

    public String getHost() {
        return measurement.host();
    }

    /** {@code mmu=ept-on-ept, shadowVmcs=on}, or empty. */
    public String getVariant() {
        return BuildPageModel.text(measurement.variant());
    }

    public String getUnit() {
        return measurement.unit();
    }

    /** How it ran, {@code accelerator=tcg, jobs=2}: a TCG guestfish launch in L1 means nesting is broken there. */
    public String getAttributes() {
        return BuildPageModel.text(measurement.attributes());
    }

    /** {@code kvm} or {@code tcg} where the benchmark recorded it, else empty. */
    public String getAccelerator() {
        return measurement.attributes().getOrDefault("accelerator", "");
    }

    /** Samples that count (warm-up runs left out). */
    public int getN() {
        return summary == null ? 0 : summary.n();
    }

    public int getWarmups() {
        return measurement.samples().size() - getN();
    }

    public String getMedian() {
        return summary == null ? Figures.UNDEFINED : Figures.format(summary.median());
    }

    public String getMean() {
        return summary == null ? Figures.UNDEFINED : Figures.format(summary.mean());
    }

    /** The 95% confidence interval of the mean, {@code 2.69 – 2.74}; a dash with fewer than two samples. */
    public String getInterval() {
        return summary == null ? Figures.UNDEFINED : Figures.interval(summary.ciLow(), summary.ciHigh());
    }

    /** Relative standard deviation in percent, {@code 1.23}. */
    public String getRsd() {
        return summary == null ? Figures.UNDEFINED : Figures.percent(summary.relativeStandardDeviation());
    }

    public double getMedianValue() {
        return summary == null ? Double.NaN : summary.median();
    }

    public double getLowValue() {
        return summary == null ? Double.NaN : summary.ciLow();
    }

    public double getHighValue() {
        return summary == null ? Double.NaN : summary.ciHigh();
    }

    /** Change of the mean since the previous build, {@code +4.2%}; empty without a previous build. */
    public String getChange() {
        return comparison == null ? "" : ComparisonText.percent(comparison.percentChange());
    }

    /** REGRESSION, IMPROVEMENT, NO_CHANGE or NOT_COMPARABLE against the previous build; empty without one. */
    public String getVerdict() {
        return comparison == null ? "" : comparison.verdict().name();
    }

    /** Why it was not compared with the previous build (other fingerprint, too few samples); empty otherwise. */
    public String getVerdictReason() {
        return comparison == null ? "" : String.join("; ", comparison.reasons());
    }
}
