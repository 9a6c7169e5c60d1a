package io.github.nestedvirt.result;

/** The nesting level a host or a measurement belongs to. */
public enum Level {
    /** The host hypervisor: bare metal. */
    L0,
    /** A guest hypervisor running on L0. */
    L1,
    /** A nested guest running inside an L1. */
    L2;

    /** The level below this one, or {@code null} for L0. */
    public Level below() {
        return this == L0 ? null : values()[ordinal() - 1];
    }
}
