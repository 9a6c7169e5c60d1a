package io.github.nestedvirt.bench;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.CommandTimeoutException;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.OutputListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine the tests run on, as a {@link Host}: {@code /bin/sh -c} through ProcessBuilder.
 * Optionally every command runs behind a prefix, e.g. {@code setpriv} to drop root.
 */
final class TestLocalHost implements Host {

    private final List<String> prefix;

    TestLocalHost() {
        this(List.of());
    }

    TestLocalHost(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** Runs every command as user and group nobody (65534), without supplementary groups. */
    static TestLocalHost asNobody() {
        return new TestLocalHost(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(String command, Duration timeout, OutputListener listener)
            throws HostException, InterruptedException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("/bin/sh", "-c", command));
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new HostException(name(), "cannot start /bin/sh: " + e.getMessage(), e);
        }
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        Thread out = pump(process.getInputStream(), stdout, OutputListener.Stream.STDOUT, listener);
        Thread err = pump(process.getErrorStream(), stderr, OutputListener.Stream.STDERR, listener);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new CommandTimeoutException(name(), command, timeout);
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        synchronized (stdout) {
            synchronized (stderr) {
                return new CommandResult(command, process.exitValue(), stdout.toString(), stderr.toString(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Thread pump(InputStream in, StringBuilder sink, OutputListener.Stream stream,
            OutputListener listener) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (sink) {
                        sink.append(line).append('\n');
                    }
                    listener.line(stream, line);
                }
            } catch (IOException e) {
                // the process was ended; what was read so far is kept
            }
        }, "local-" + stream);
        thread.setDaemon(true);
        thread.start();
        return thread;
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
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HostException(name(), "cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }
}
