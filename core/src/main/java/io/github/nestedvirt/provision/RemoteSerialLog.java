package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import java.time.Duration;

/**
 * The serial log of a guest on another machine (an L2's inside its L1, an L1's on a remote L0),
 * a file libvirt there writes: read over the engine's connection to that machine when the guest
 * does not come up.
 *
 * @param host the L1, or the remote L0
 * @param file absolute path of the log there
 */
public record RemoteSerialLog(Host host, String file) implements ConsoleLog {

    /** Only the end of a long log is read, as for a local one. */
    private static final int MAX_READ = 64 * 1024;
    private static final int MISSING = 3;

    @Override
    public String where() {
        return file + " in " + host.name();
    }

    @Override
    public String tail(int lines) {
        String quoted = Shell.quote(file);
        CommandResult result;
        try {
            result = host.run("test -e " + quoted + " || exit " + MISSING + "; tail -c " + MAX_READ + " " + quoted,
                    Duration.ofSeconds(30));
        } catch (HostException e) {
            return "(serial log " + where() + " cannot be read: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(serial log " + where() + " not read: interrupted)";
        }
        if (result.exitStatus() == MISSING) {
            return "(serial log " + where() + " does not exist: the guest never wrote to its console)";
        }
        if (!result.succeeded()) {
            return "(serial log " + where() + " cannot be read: " + result.stderr().strip() + ")";
        }
        String tail = ConsoleLog.printableTail(result.stdout(), lines);
        return tail.isEmpty() ? "(serial log " + where() + " is empty: the guest never wrote to its console)" : tail;
    }
}
