package io.github.nestedvirt.host;

import java.time.Duration;

/** A command outlived its timeout; it has been ended on the host. */
public class CommandTimeoutException extends HostException {

    public CommandTimeoutException(String hostName, String command, Duration timeout) {
        super(hostName, "command did not finish within " + timeout.toSeconds() + " s and was ended: " + command);
    }
}
