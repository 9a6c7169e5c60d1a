package io.github.nestedvirt.host;

/** Connecting, authenticating or verifying the host key failed: nothing ran. */
public class HostUnreachableException extends HostException {

    public HostUnreachableException(String hostName, String message) {
        super(hostName, message);
    }

    public HostUnreachableException(String hostName, String message, Throwable cause) {
        super(hostName, message, cause);
    }
}
