package io.github.nestedvirt.host;

import java.time.Duration;

/** What a finished command left behind. */
public record CommandResult(String command, int exitStatus, String stdout, String stderr, Duration wallTime) {

    public boolean succeeded() {
        return exitStatus == 0;
    }

    /** Returns this result, or throws a {@link CommandFailedException} naming the host and the end of stderr. */
    public CommandResult orThrow(String hostName) throws CommandFailedException {
        if (!succeeded()) {
            throw new CommandFailedException(hostName, this);
        }
        return this;
    }
}
