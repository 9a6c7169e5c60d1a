package io.github.nestedvirt.host;

import java.time.Duration;

/**
 * A command outlived its timeout; it has been ended on the host. The message ends with the last
 * lines the command printed, since a hang is diagnosed from where its output stopped.
 */
public class CommandTimeoutException extends HostException {

    /** Lines of the command's output kept in the message. */
    static final int TAIL_LINES = 20;

    private final String lastOutput;

    /** @param output what the command printed on stdout and stderr before it was ended */
    public CommandTimeoutException(String hostName, String command, Duration timeout, String output) {
        super(hostName, "command did not finish within " + timeout.toSeconds() + " s and was ended: " + command
                + "\nits last output:\n" + Tails.of(output, TAIL_LINES));
        this.lastOutput = Tails.of(output, TAIL_LINES);
    }

    /** The last lines the command printed (stdout, then stderr), or "(no output)". */
    public String lastOutput() {
        return lastOutput;
    }
}
