package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's kernel source ({@code linux-source-6.1}) unpacked where a {@link TestHypervisorImage}
 * L1 sees it through L0's read-only root. Unpacked once and kept, like an image cache: it is
 * 1.4 GB and takes seconds to minutes to unpack. Unpacked next to its place and renamed, so that
 * parallel test runs never see half a tree.
 */
public final class TestKernelTree {

    static final Path TARBALL = Path.of("/usr/src/linux-source-6.1.tar.xz");

    private TestKernelTree() {
    }

    public static synchronized void ensure(Path tree) throws Exception {
        if (Files.isRegularFile(tree.resolve("Makefile"))) {
            return;
        }
        if (!Files.isReadable(TARBALL)) {
            throw new IllegalStateException("no kernel source: install Debian's linux-source-6.1 (apt-get install "
                    + "linux-source-6.1, as scripts/install-deps.sh does) to get " + TARBALL);
        }
        Path staging = Files.createTempDirectory(tree.getParent(), ".nvmx-unpack-");
        LocalHost local = new LocalHost();
        try {
            String unpack = Shell.command("tar", "-C", staging.toString(), "-xaf", TARBALL.toString());
            CommandResult result = local.run(unpack, Duration.ofMinutes(20));
            if (!result.succeeded()) {
                throw new IllegalStateException("'" + unpack + "' exited with " + result.exitStatus() + ":\n"
                        + result.stderr());
            }
            Path unpacked = staging.resolve(tree.getFileName());
            try {
                Files.move(unpacked, tree);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another run unpacked it first
            }
        } finally {
            TestGuestImage.deleteTree(staging);
        }
    }
}
