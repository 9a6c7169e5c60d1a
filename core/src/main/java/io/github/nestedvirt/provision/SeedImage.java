package io.github.nestedvirt.provision;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.CloudInitSeed;
import io.github.nestedvirt.topology.GuestSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * A cloud-init NoCloud seed image: an ISO 9660 volume labelled {@value #LABEL} with the files
 * {@code meta-data} and {@code user-data} of {@link CloudInitSeed}, made with {@code genisoimage}
 * (Rock Ridge and Joliet names, so the lower-case names with a dash survive). cloud-init finds it
 * by its label on the guest's CD-ROM.
 */
public final class SeedImage {

    /** The volume label cloud-init's NoCloud source looks for. */
    public static final String LABEL = "cidata";

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private SeedImage() {
    }

    /** Where a guest's seed goes: {@code NAME-seed.iso} next to its disk volume, where qemu reads images. */
    public static String pathFor(GuestSpec guest, String diskPath) {
        return Path.of(diskPath).resolveSibling(guest.name() + "-seed.iso").toString();
    }

    /** The public key the seed authorizes: {@code ssh.publicKey} ({@code ssh.identity + ".pub"} unless given). */
    public static Path publicKeyFile(GuestSpec guest) {
        return Provisioner.homePath(guest.ssh().publicKey());
    }

    /**
     * Records and writes the seed of {@code guest} next to its disk at {@code diskPath} on
     * {@code host} (L0: this machine, or a remote L0 it is copied to); returns its path.
     *
     * @throws IllegalArgumentException before recording anything, when a file of that name exists:
     *     it is not this run's, and this run's teardown would remove it
     */
    static String create(GuestSpec guest, String diskPath, Lifecycle lifecycle, Host host, Progress progress)
            throws Exception {
        String path = pathFor(guest, diskPath);
        if (host.run("test -e " + Shell.quote(path), TIMEOUT).succeeded()) {
            throw new IllegalArgumentException(guest.name() + ": " + path + " already exists"
                    + (host instanceof LocalHost ? "" : " on " + host.name()) + "; remove it (a seed image of an earlier run?) or pick another guest name");
        }
        lifecycle.create(Resource.seedImage(host.name(), path, Level.L0), () -> {
            if (host instanceof LocalHost) {
                write(guest, Path.of(path));
            } else {
                Path dir = Files.createTempDirectory("nvmx-seed-copy-");
                Path iso = dir.resolve("seed.iso");
                try {
                    write(guest, iso);
                    host.upload(iso, path);
                    host.run(Shell.command("chmod", "0644", path), TIMEOUT).orThrow(host.name());
                } finally {
                    Files.deleteIfExists(iso);
                    Files.delete(dir);
                }
            }
            return path;
        });
        progress.info(guest.name() + ": cloud-init seed " + path + (host instanceof LocalHost ? "" : " on " + host.name()));
        return path;
    }

    /**
     * Writes the seed for {@code guest} to {@code iso} on this machine, authorizing the key in
     * {@link #publicKeyFile}.
     *
     * @throws HostException when genisoimage is missing or fails, with its output
     */
    public static void write(GuestSpec guest, Path iso) throws HostException, IOException,
            InterruptedException {
        String publicKey = Files.readString(publicKeyFile(guest));
        String userData = CloudInitSeed.userData(guest, publicKey);
        LocalHost host = new LocalHost();
        Path dir = Files.createTempDirectory("nvmx-seed-");
        try {
            Path metaFile = Files.writeString(dir.resolve("meta-data"), CloudInitSeed.metaData(guest));
            Path userFile = Files.writeString(dir.resolve("user-data"), userData);
            CommandResult result = host.run(Shell.command("genisoimage", "-quiet", "-output", iso.toString(),
                    "-volid", LABEL, "-joliet", "-rock", userFile.toString(), metaFile.toString()), TIMEOUT);
            if (result.exitStatus() == 127) {
                throw new HostException(host.name(), "genisoimage is not installed, so no cloud-init seed for "
                        + guest.name() + ": install it (apt-get install genisoimage, or scripts/install-deps.sh)");
            }
            result.orThrow(host.name());
            // qemu runs as libvirt's qemu user: it must read the image.
            Files.setPosixFilePermissions(iso, PosixFilePermissions.fromString("rw-r--r--"));
        } finally {
            Files.deleteIfExists(dir.resolve("meta-data"));
            Files.deleteIfExists(dir.resolve("user-data"));
            Files.delete(dir);
        }
    }
}
