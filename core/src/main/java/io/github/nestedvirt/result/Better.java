package io.github.nestedvirt.result;

/** Which direction of a metric is an improvement. */
public enum Better {
    /** Times: a smaller value is better. */
    LOWER,
    /** Throughputs, rates: a larger value is better. */
    HIGHER
}
