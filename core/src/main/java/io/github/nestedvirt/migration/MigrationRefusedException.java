package io.github.nestedvirt.migration;

import io.github.nestedvirt.host.HostException;

/**
 * libvirt or QEMU refused a migration because these hosts cannot do it (as opposed to a failure
 * while doing it): the message starts with "not supported".
 */
public final class MigrationRefusedException extends HostException {

    private final transient MigrationRefusal refusal;

    public MigrationRefusedException(String uri, MigrationRefusal refusal, Throwable cause) {
        super(uri, refusal.detail(), cause);
        this.refusal = refusal;
    }

    public MigrationRefusal refusal() {
        return refusal;
    }
}
