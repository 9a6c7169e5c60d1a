package io.github.nestedvirt.facts;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The outcome of a real KVM probe: a tiny guest started with {@code -accel kvm} under a timeout.
 *
 * @param state what the probe found
 * @param detail what happened, in words a user can act on (the qemu error, "hung for 10 s", ...)
 */
public record KvmStatus(State state, String detail) {

    public enum State {
        /** A guest ran under KVM: timings mean hardware-assisted virtualization. */
        USABLE,
        /** No {@code /dev/kvm}: every guest here runs under TCG emulation. */
        ABSENT,
        /** {@code /dev/kvm} exists but a guest aborts or hangs under it. */
        UNUSABLE,
        /** The probe could not run (no qemu, no permission): KVM is untested. */
        UNKNOWN
    }

    @JsonIgnore // derived from state, not stored
    public boolean usable() {
        return state == State.USABLE;
    }
}
