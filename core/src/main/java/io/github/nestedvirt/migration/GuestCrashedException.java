package io.github.nestedvirt.migration;

import io.github.nestedvirt.host.HostException;

/**
 * A migrated guest's kernel crashed on its new L0: the guest is lost there, and its serial
 * console says how. Not a network hiccup and not a refusal: what a user of nested migration
 * needs to see as such (the guest's memory or device state did not survive the move).
 */
public final class GuestCrashedException extends HostException {

    private final transient KernelCrash crash;

    public GuestCrashedException(String guest, String message, KernelCrash crash, Throwable cause) {
        super(guest, message, cause);
        this.crash = crash;
    }

    public KernelCrash crash() {
        return crash;
    }
}
