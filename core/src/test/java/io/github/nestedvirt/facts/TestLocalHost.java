package io.github.nestedvirt.facts;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.CommandTimeoutException;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.OutputListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The machine the tests run on, as a {@link Host}: {@code /bin/sh -c} through a ProcessBuilder.
 * Just enough for the facts tests; the product's own local host lives in the host package.
 */
final class TestLocalHost implements Host {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(String command, Duration timeout, OutputListener listener)
            throws HostException, InterruptedException {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new HostException(name(), "cannot start /bin/sh: " + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new CommandTimeoutException(name(), command, timeout);
            }
            return new CommandResult(command, process.exitValue(), stdout.get(), stderr.get(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        } catch (ExecutionException e) {
            throw new HostException(name(), "cannot read the output of: " + command, e.getCause());
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void upload(Path local, String remotePath) throws HostException {
        try {
            Files.copy(local, Path.of(remotePath), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HostException(name(), "cannot copy " + local + " to " + remotePath + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void download(String remotePath, Path local) throws HostException {
        try {
            Files.copy(Path.of(remotePath), local, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HostException(name(), "cannot copy " + remotePath + " to " + local + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // nothing to release
    }
}
