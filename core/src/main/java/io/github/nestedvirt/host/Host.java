package io.github.nestedvirt.host;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A machine the engine runs commands on: L0 itself, or an L1/L2 guest reached over SSH.
 *
 * <p>Benchmarks only ever see this interface, so the same benchmark measures L0, L1 and L2.
 * Cancellation is thread interruption: interrupting the thread blocked in {@link #run} closes the
 * command's channel, ends the process on the host and throws {@link InterruptedException}.
 */
public interface Host extends AutoCloseable {

    /** A short name for messages and results, e.g. {@code local} or {@code root@l1 via l0}. */
    String name();

    /**
     * Runs a {@code /bin/sh} command line and waits for it.
     *
     * @param command a shell command line; build it with {@link Shell} when it holds user values
     * @param timeout the command is ended and {@link CommandTimeoutException} thrown after this
     * @param listener receives every output line while the command runs
     * @return exit status, complete stdout and stderr, wall time
     */
    CommandResult run(String command, Duration timeout, OutputListener listener)
            throws HostException, InterruptedException;

    default CommandResult run(String command, Duration timeout) throws HostException, InterruptedException {
        return run(command, timeout, OutputListener.NONE);
    }

    /** Copies a local file to {@code remotePath} on this host (parent directories must exist). */
    void upload(Path local, String remotePath) throws HostException, InterruptedException;

    /** Copies {@code remotePath} on this host to a local file. */
    void download(String remotePath, Path local) throws HostException, InterruptedException;

    /** Releases the connection; a closed host cannot run commands any more. */
    @Override
    void close();
}
