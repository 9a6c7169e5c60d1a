package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.OutputListener;
import io.github.nestedvirt.host.Shell;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Debian root file system in a directory of this machine, used as a host: every command runs
 * in it through {@code chroot}, as root, with the distribution's own tools. It stands for an L1
 * whose root is writable, which the test L1 of {@link TestHypervisorImage} (L0's root, read-only)
 * is not. It shares this machine's kernel, network and processes.
 */
final class ChrootHost implements Host {

    private final Path root;
    private final LocalHost local = new LocalHost();

    ChrootHost(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "chroot " + root;
    }

    @Override
    public CommandResult run(String command, Duration timeout, OutputListener listener)
            throws HostException, InterruptedException {
        return local.run(Shell.command("chroot", root.toString(), "/usr/bin/env", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "/bin/sh", "-c", command), timeout, listener);
    }

    @Override
    public void upload(Path file, String remotePath) throws HostException, InterruptedException {
        local.upload(file, root + remotePath);
    }

    @Override
    public void download(String remotePath, Path file) throws HostException, InterruptedException {
        local.download(root + remotePath, file);
    }

    @Override
    public void close() {
        local.close();
    }
}
