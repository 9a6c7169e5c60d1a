package io.github.nestedvirt.compare;

/** Which way the candidate moved, in terms of the metric's {@code Better}. */
public enum Direction {
    BETTER,
    WORSE,
    SAME,
    /** The measurement does not say whether lower or higher is better. */
    UNKNOWN
}
