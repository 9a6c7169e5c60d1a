package io.github.nestedvirt.bench;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.OutputListener;
import io.github.nestedvirt.host.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * This machine, with every command run behind a prefix: {@code setpriv} to measure as an
 * unprivileged user, or {@code env} to change the environment a benchmark sees.
 */
final class TestLocalHost implements Host {

    private final LocalHost local = new LocalHost();
    private final List<String> prefix;

    TestLocalHost() {
        this(List.of());
    }

    TestLocalHost(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** Commands run as user and group {@code nobody}, without root's power to read every file. */
    static TestLocalHost asNobody() {
        return new TestLocalHost(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public CommandResult run(String command, Duration timeout, OutputListener listener)
            throws HostException, InterruptedException {
        String wrapped = prefix.isEmpty() ? command : Shell.command(prefix) + " /bin/sh -c " + Shell.quote(command);
        CommandResult result = local.run(wrapped, timeout, listener);
        return new CommandResult(command, result.exitStatus(), result.stdout(), result.stderr(), result.wallTime());
    }

    @Override
    public void upload(Path file, String remotePath) throws HostException, InterruptedException {
        local.upload(file, remotePath);
    }

    @Override
    public void download(String remotePath, Path file) throws HostException, InterruptedException {
        local.download(remotePath, file);
    }

    @Override
    public void close() {
        local.close();
    }
}
