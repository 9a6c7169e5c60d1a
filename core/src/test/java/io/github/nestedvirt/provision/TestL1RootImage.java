package io.github.nestedvirt.provision;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The golden disk image of the test L1 that runs on its own disk (so that it can be
 * live-migrated: QEMU will not migrate a guest with a virtio-9p export mounted). A raw, sparse
 * image with two partitions: the first holds this machine's root file system as a read-only
 * squashfs (what the L1 needs of it: {@code /usr}, {@code /etc}, {@code /boot}, with large trees
 * it does not need left out), the second is empty and becomes the L1's ext4 for the L2 disks.
 * Guests use it as the backing file of their qcow2 disk, so they never write to it.
 *
 * <p>Built once and kept in {@value #CACHE}, like an image cache: about 1 GB, 15 s to 2 min to
 * build. Its name carries a hash of what makes it stale (the installed packages and the
 * exclusion list); an older one is removed when a new one is built. Built next to its place and
 * renamed, so that parallel test runs never see half an image.
 */
public final class TestL1RootImage {

    static final Path CACHE = Path.of("/var/cache/nvmx-test");
    /** Bumped when the image's layout changes. */
    private static final String LAYOUT = "squashfs-lz4 p1, empty p2 of 256 MiB";
    private static final long MIB = 1 << 20;
    private static final long L2_SPACE_MIB = 256;

    /** Top-level directories the L1 takes from this machine; every other one is left out. */
    private static final Set<String> KEPT = Set.of("usr", "etc", "boot", "bin", "sbin", "lib", "lib32", "lib64",
            "libx32");
    /** Left out but present, empty: the L1 mounts its own file systems there. */
    private static final List<String> MOUNT_POINTS = List.of("proc", "sys", "dev", "run", "tmp", "var", "root", "mnt");
    /** Large trees an L1 running libvirt, qemu, dnsmasq and benchmarks does not need. */
    static final List<String> EXCLUDED = List.of("usr/src", "usr/local", "usr/include", "usr/share/doc",
            "usr/share/man", "usr/share/locale", "usr/share/icons", "usr/share/fonts", "usr/lib/jvm",
            "usr/lib/x86_64-linux-gnu/dri", "usr/lib/chromium", "usr/lib/google-cloud-sdk", "usr/lib/llvm-*",
            "usr/lib/postgresql", "usr/libexec/valgrind", "boot/initrd.img*", "usr/lib/modules/*/kernel/sound",
            "usr/lib/modules/*/kernel/drivers/gpu", "usr/lib/modules/*/kernel/drivers/media",
            "usr/lib/modules/*/kernel/drivers/net/wireless", "usr/lib/modules/*/kernel/drivers/infiniband");

    private static Path built;

    private TestL1RootImage() {
    }

    /** The image, built on first use in this or an earlier JVM. */
    public static synchronized Path get() throws Exception {
        if (built == null) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/mksquashfs")) && Files.isExecutable(Path.of("/sbin/sfdisk")),
                    "mksquashfs or sfdisk is missing: install squashfs-tools and fdisk (scripts/install-deps.sh)");
            Files.createDirectories(CACHE);
            Files.setPosixFilePermissions(CACHE, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path image = CACHE.resolve("l1-root-" + key() + ".img");
            if (!Files.exists(image)) {
                long start = System.nanoTime();
                build(image);
                System.out.printf("Test L1 root image %s (%d MiB, %d MiB used) built in %.1f s%n", image,
                        sizeMib(image), usedMib(image), (System.nanoTime() - start) / 1e9);
                removeStale(image);
            }
            built = image;
        }
        return built;
    }

    /** The image's size, a whole number of MiB: the smallest virtual size of a disk backed by it. */
    public static long sizeMib(Path image) {
        try {
            return Files.size(image) / MIB;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(Files.readAllBytes(Path.of("/var/lib/dpkg/status")));
        digest.update(String.join("\n", EXCLUDED).getBytes(StandardCharsets.UTF_8));
        digest.update(LAYOUT.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static void build(Path image) throws Exception {
        LocalHost local = new LocalHost();
        Path staging = Files.createTempDirectory(CACHE, ".nvmx-build-");
        try {
            Path squashfs = staging.resolve("root.sqfs");
            List<String> command = new ArrayList<>(List.of("mksquashfs", "/", squashfs.toString(), "-noappend",
                    "-comp", "lz4", "-wildcards", "-no-progress", "-quiet"));
            for (String mountPoint : MOUNT_POINTS) {
                command.addAll(List.of("-p", mountPoint + " d 755 0 0"));
            }
            command.add("-e");
            try (Stream<Path> top = Files.list(Path.of("/"))) {
                top.map(p -> p.getFileName().toString()).filter(name -> !KEPT.contains(name)).sorted()
                        .forEach(command::add);
            }
            command.addAll(EXCLUDED);
            TestGuestImage.run(local, Shell.command(command.toArray(String[]::new)), Duration.ofMinutes(15));
            long rootMib = (Files.size(squashfs) + MIB - 1) / MIB;
            Path raw = staging.resolve("image.img");
            // dos label: p1 from 1 MiB holds the squashfs, p2 right after it is the L1's to format
            TestGuestImage.run(local, Shell.command("truncate", "-s", (1 + rootMib + L2_SPACE_MIB) + "M", raw.toString())
                    + " && printf %s " + Shell.quote("1MiB," + rootMib + "MiB,L\n,,L\n") + " | "
                    + Shell.command("sfdisk", "-q", raw.toString())
                    + " && " + Shell.command("dd", "if=" + squashfs, "of=" + raw, "bs=1M", "seek=1",
                            "conv=notrunc,sparse", "status=none"));
            Files.setPosixFilePermissions(raw, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(raw, image, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            TestGuestImage.deleteTree(staging);
        }
    }

    private static long usedMib(Path image) throws Exception {
        return Long.parseLong(TestGuestImage.run(new LocalHost(), Shell.command("du", "-m", image.toString())).split("\\s+")[0]);
    }

    private static void removeStale(Path current) throws IOException {
        try (Stream<Path> images = Files.list(CACHE)) {
            for (Path old : images.filter(p -> p.getFileName().toString().startsWith("l1-root-"))
                    .filter(p -> !p.equals(current)).toList()) {
                Files.deleteIfExists(old);
            }
        }
    }
}
