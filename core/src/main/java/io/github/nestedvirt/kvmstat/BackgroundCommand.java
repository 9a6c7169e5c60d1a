package io.github.nestedvirt.kvmstat;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.OutputListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A command that runs on a host beside a benchmark, on its own thread, collecting its stdout.
 * Interrupting that thread ends the command and every process it started on the host (the contract of
 * {@link Host#run}), so {@link #kill} leaves nothing running behind.
 */
final class BackgroundCommand {

    /** How long a capture may run at most: longer than any benchmark, so only {@link #kill} ends it normally. */
    private static final Duration LIMIT = Duration.ofDays(7);
    private static final long JOIN_MILLIS = 15_000;

    private final StringBuilder stdout = new StringBuilder();
    private final Thread thread;
    private volatile CommandResult result;
    private volatile Exception failure;

    private BackgroundCommand(Host host, String command, String name) {
        OutputListener listener = (stream, line) -> {
            if (stream == OutputListener.Stream.STDOUT) {
                synchronized (stdout) {
                    stdout.append(line).append('\n');
                }
            }
        };
        thread = new Thread(() -> {
            try {
                result = host.run(command, LIMIT, listener);
            } catch (HostException | InterruptedException | RuntimeException e) {
                failure = e;
            }
        }, name);
        thread.setDaemon(true);
    }

    static BackgroundCommand start(Host host, String command, String name) {
        BackgroundCommand background = new BackgroundCommand(host, command, name);
        background.thread.start();
        return background;
    }

    /** The stdout lines seen so far. */
    String stdout() {
        synchronized (stdout) {
            return stdout.toString();
        }
    }

    boolean running() {
        return thread.isAlive();
    }

    /** Waits up to {@code millis} for the command to end by itself; its result, or null if it still runs. */
    CommandResult awaitEnd(long millis) throws InterruptedException {
        if (millis > 0) {
            thread.join(millis); // join(0) would wait for ever
        }
        return thread.isAlive() ? null : result;
    }

    /** Why the command could not run, if it could not (host unreachable); null otherwise. */
    Exception failure() {
        return failure;
    }

    /** Ends the command and its processes on the host, and waits for that. */
    void kill() throws InterruptedException {
        thread.interrupt();
        thread.join(JOIN_MILLIS);
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not end within "
                    + TimeUnit.MILLISECONDS.toSeconds(JOIN_MILLIS) + " s of being stopped");
        }
    }
}
