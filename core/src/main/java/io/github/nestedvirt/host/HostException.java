package io.github.nestedvirt.host;

/** A host could not be reached or could not do what was asked; the message names the host. */
public class HostException extends Exception {

    private final String hostName;

    public HostException(String hostName, String message) {
        super(hostName + ": " + message);
        this.hostName = hostName;
    }

    public HostException(String hostName, String message, Throwable cause) {
        super(hostName + ": " + message, cause);
        this.hostName = hostName;
    }

    public String hostName() {
        return hostName;
    }
}
