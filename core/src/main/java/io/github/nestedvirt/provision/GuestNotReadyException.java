package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.HostException;

/**
 * A guest did not reach a readiness step (an address, an open SSH port, an SSH login) in time.
 * The message says which step, how long was waited, the last reason seen, and ends with the tail
 * of the guest's serial log.
 */
public class GuestNotReadyException extends HostException {

    public GuestNotReadyException(String guestName, String message, Throwable cause) {
        super(guestName, message, cause);
    }
}
