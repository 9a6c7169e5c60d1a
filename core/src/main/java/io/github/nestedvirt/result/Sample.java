package io.github.nestedvirt.result;

/**
 * One observed value of a measurement.
 *
 * @param value the figure, in the measurement's unit
 * @param warmup true for runs that only warm caches: kept for the record, left out of every statistic
 */
public record Sample(double value, boolean warmup) {

    public static Sample of(double value) {
        return new Sample(value, false);
    }

    public static Sample warmup(double value) {
        return new Sample(value, true);
    }
}
