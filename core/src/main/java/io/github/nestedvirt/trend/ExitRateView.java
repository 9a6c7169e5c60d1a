package io.github.nestedvirt.trend;

import io.github.nestedvirt.result.Figures;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Summary;

/** One kind of VM exit as kvm_stat counted it on a host: how many per second. */
public final class ExitRateView {

    private final Measurement measurement;
    private final String event;
    private final Summary summary;

    ExitRateView(Measurement measurement, String event) {
        this.measurement = measurement;
        this.event = event;
        this.summary = Summary.of(measurement);
    }

    public String getLevel() {
        return String.valueOf(measurement.level());
    }

    public String getHost() {
        return measurement.host();
    }

    public String getVariant() {
        return BuildPageModel.text(measurement.variant());
    }

    /** The exit reason ({@code EPT_VIOLATION}) or nested event ({@code kvm_nested_vmexit}). */
    public String getEvent() {
        return event;
    }

    /** Median events per second over the capture's intervals. */
    public String getPerSecond() {
        return Figures.format(summary.median());
    }

    public String getInterval() {
        return Figures.interval(summary.ciLow(), summary.ciHigh());
    }

    public double getPerSecondValue() {
        return summary.median();
    }

    /** How many intervals kvm_stat printed. */
    public int getN() {
        return summary.n();
    }
}
