package io.github.nestedvirt.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The machine the engine runs on (normally L0): commands run under {@code /bin/sh -c}, files
 * are copied.
 *
 * <p>A command that times out or whose thread is interrupted is ended together with every
 * process it started (TERM, then KILL after a short grace period), so no benchmark keeps
 * running behind the engine's back.
 */
public final class LocalHost implements Host {

    private static final Duration GRACE = Duration.ofSeconds(2);

    private volatile boolean closed;

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(String command, Duration timeout, OutputListener listener)
            throws HostException, InterruptedException {
        ensureOpen();
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new HostException(name(), "cannot start /bin/sh: " + e.getMessage(), e);
        }
        OutputDrain out = OutputDrain.start(process.getInputStream(), OutputListener.Stream.STDOUT, listener, "local-stdout");
        OutputDrain err = OutputDrain.start(process.getErrorStream(), OutputListener.Stream.STDERR, listener, "local-stderr");
        long deadline = start + timeout.toNanos();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    || !out.awaitEnd(deadline - System.nanoTime())
                    || !err.awaitEnd(deadline - System.nanoTime())) {
                endTree(process);
                throw new CommandTimeoutException(name(), command, timeout, out.text() + "\n" + err.text());
            }
        } catch (InterruptedException e) {
            endTree(process);
            throw e;
        }
        return new CommandResult(command, process.exitValue(), out.text(), err.text(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** Ends the shell and all its descendants: TERM first so they can clean up, then KILL. */
    private static void endTree(Process process) {
        List<ProcessHandle> tree = process.descendants().collect(Collectors.toList());
        tree.add(0, process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long graceEnd = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle handle : tree) {
            long left = graceEnd - System.nanoTime();
            try {
                handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (Exception stillAliveOrInterrupted) {
                handle.destroyForcibly();
            }
        }
        // Closing our pipe ends makes the drain threads finish even if a stray process holds them.
        closeQuietly(process);
    }

    private static void closeQuietly(Process process) {
        try {
            process.getInputStream().close();
            process.getErrorStream().close();
        } catch (IOException ignored) {
            // nothing left to save
        }
    }

    @Override
    public void upload(Path local, String remotePath) throws HostException {
        copy(local, Path.of(remotePath));
    }

    @Override
    public void download(String remotePath, Path local) throws HostException {
        copy(Path.of(remotePath), local);
    }

    private void copy(Path from, Path to) throws HostException {
        ensureOpen();
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HostException(name(), "cannot copy " + from + " to " + to + ": " + e, e);
        }
    }

    private void ensureOpen() throws HostException {
        if (closed) {
            throw new HostException(name(), "host is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
