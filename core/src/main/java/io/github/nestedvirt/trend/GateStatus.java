package io.github.nestedvirt.trend;

/** What a quality gate makes of a build; the order is from best to worst. */
public enum GateStatus {
    PASSED,
    UNSTABLE,
    FAILURE;

    /** The worse of the two. */
    public GateStatus worst(GateStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
