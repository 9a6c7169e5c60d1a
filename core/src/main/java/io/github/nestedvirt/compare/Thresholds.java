package io.github.nestedvirt.compare;

/**
 * How large a significant change must be to count as a regression or an improvement. A test alone
 * flags tiny but real shifts once there are enough runs; thresholds keep those below what matters.
 * A change must reach every threshold that is set (a threshold of 0 is not set).
 *
 * @param percent the least change of the mean, in percent of the baseline mean (3 is 3%)
 * @param absolute the least change of the mean, in the measurement's unit
 */
public record Thresholds(double percent, double absolute) {

    /** 3%: above the run-to-run noise the run-count policy accepts (rsd under 2.5%), below a 5% shift. */
    public static final double DEFAULT_PERCENT = 3;

    /** The defaults: 3%, no absolute threshold. */
    public static final Thresholds DEFAULT = new Thresholds(DEFAULT_PERCENT, 0);

    public Thresholds {
        if (!(percent >= 0) || Double.isInfinite(percent)) {
            throw new IllegalArgumentException("threshold-percent: must be a number 0 or above, got " + percent);
        }
        if (!(absolute >= 0) || Double.isInfinite(absolute)) {
            throw new IllegalArgumentException("threshold-absolute: must be a number 0 or above, got " + absolute);
        }
    }

    /** Whether a change of {@code absoluteChange} (unit) and {@code percentChange} (%) reaches every threshold set. */
    public boolean reached(double absoluteChange, double percentChange) {
        return Math.abs(percentChange) >= percent && Math.abs(absoluteChange) >= absolute;
    }
}
