package io.github.nestedvirt.host;

/** A command exited with a non-zero status where success was required. */
public class CommandFailedException extends HostException {

    private static final int STDERR_TAIL = 2000;

    private final transient CommandResult result;

    public CommandFailedException(String hostName, CommandResult result) {
        super(hostName, "command exited with status " + result.exitStatus() + ": " + result.command()
                + tail(result.stderr()));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }

    private static String tail(String stderr) {
        String trimmed = stderr.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return "\n" + (trimmed.length() > STDERR_TAIL ? "..." + trimmed.substring(trimmed.length() - STDERR_TAIL) : trimmed);
    }
}
