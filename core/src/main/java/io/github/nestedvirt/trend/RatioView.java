package io.github.nestedvirt.trend;

import io.github.nestedvirt.compare.ComparisonText;
import io.github.nestedvirt.compare.RatioRow;
import io.github.nestedvirt.result.Figures;

/**
 * Two measurements side by side as the build page shows them: a level over the level below (L2/L1),
 * VMCS shadowing off over on, one MMU mode over another.
 */
public final class RatioView {

    private final RatioRow row;

    RatioView(RatioRow row) {
        this.row = row;
    }

    /** What is compared: {@code kernel-build/seconds L2/L1 shadowVmcs=on (l2 over l1)}. */
    public String getLabel() {
        return row.label();
    }

    /** The key of the numerator's measurement, to find its row in {@link BuildPageModel#getMeasurements()}. */
    public String getNumerator() {
        return row.numerator();
    }

    /** The key of the denominator's measurement. */
    public String getDenominator() {
        return row.denominator();
    }

    public String getUnit() {
        return row.unit();
    }

    /** Mean over mean, {@code 2.31}: for times, how many times slower. */
    public String getRatio() {
        return Figures.format(row.ratio().estimate());
    }

    /** Fieller's 95% interval of the ratio, {@code 2.25 – 2.38}, {@code unbounded}, or a dash. */
    public String getInterval() {
        boolean unbounded = !Double.isNaN(row.ratio().ciLow()) && !row.ratio().bounded();
        return unbounded ? "unbounded" : Figures.interval(row.ratio().ciLow(), row.ratio().ciHigh());
    }

    /** Welch's t p-value of the two sets of samples. */
    public String getP() {
        return ComparisonText.p(row.significance());
    }

    /** {@code yes}, {@code no}, or a dash when there was too little to test. */
    public String getSignificant() {
        return !row.significance().testable() ? Figures.UNDEFINED : row.significance().significant() ? "yes" : "no";
    }

    public double getRatioValue() {
        return row.ratio().estimate();
    }

    public double getLowValue() {
        return row.ratio().ciLow();
    }

    public double getHighValue() {
        return row.ratio().ciHigh();
    }
}
