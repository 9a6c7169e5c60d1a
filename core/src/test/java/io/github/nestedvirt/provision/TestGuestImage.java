package io.github.nestedvirt.provision;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A small L1 built at test time from what this machine has: the Debian kernel in {@code /boot}
 * and an initramfs with busybox, dropbear and iperf3 (and the libraries {@code ldd} names), the kernel's own
 * virtio network modules, and an {@code /init} that takes an address with {@code udhcpc}, starts
 * dropbear and prints {@link #READY_LINE} on the serial console.
 *
 * <p>dropbear's host key is generated here, so tests pin it in a known_hosts file (strict checking,
 * nothing is trusted on first use); the client key for root's authorized_keys too. Built once per
 * JVM into a temporary directory that is removed at exit.
 */
public final class TestGuestImage {

    /** What {@code /init} prints on the serial console once dropbear runs. */
    public static final String READY_LINE = "NVMX-L1-READY";

    /** In the order they depend on each other: insmod does not resolve dependencies. */
    static final List<String> MODULES = List.of("virtio_ring", "virtio", "virtio_pci_modern_dev",
            "virtio_pci_legacy_dev", "virtio_pci", "failover", "net_failover", "virtio_net");

    /** So that network benchmarks can run in the guest (as an L2: between L1 and L2). */
    static final String IPERF3 = "/usr/bin/iperf3";

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    /** The port name libvirt gives the QEMU guest agent's virtio channel. */
    static final String AGENT_PORT = "org.qemu.guest_agent.0";

    private static TestGuestImage built;
    private static TestGuestImage builtWithAgent;

    private final Path kernel;
    private final Path initrd;
    private final Path clientKey;
    private final Path hostKey;
    private final String hostPublicKey;
    private final long files;
    private final long bytes;

    private TestGuestImage(Path dir, Path kernel, Path initrd, Path clientKey, Path hostKey, String hostPublicKey)
            throws IOException {
        try (Stream<Path> paths = Files.walk(dir.resolve("root"))) {
            List<Path> regular = paths.filter(Files::isRegularFile).toList();
            this.files = regular.size();
            long sum = 0;
            for (Path file : regular) {
                sum += Files.size(file);
            }
            this.bytes = sum;
        }
        this.kernel = kernel;
        this.initrd = initrd;
        this.clientKey = clientKey;
        this.hostKey = hostKey;
        this.hostPublicKey = hostPublicKey;
    }

    /** The image of this JVM, built on first use; skips the calling test when a tool is missing. */
    public static synchronized TestGuestImage get() throws Exception {
        if (built == null) {
            built = build(false);
        }
        return built;
    }

    /**
     * The same image with the QEMU guest agent ({@code qemu-ga} from the host's qemu-guest-agent
     * package, and the {@code virtio_console} module), started on the port {@link #AGENT_PORT}
     * when the domain has that channel; built on first use.
     */
    public static synchronized TestGuestImage withGuestAgent() throws Exception {
        if (builtWithAgent == null) {
            assumeTrue(Files.isExecutable(Path.of("/usr/sbin/qemu-ga")),
                    "/usr/sbin/qemu-ga is missing: install qemu-guest-agent (scripts/install-deps.sh)");
            builtWithAgent = build(true);
        }
        return builtWithAgent;
    }

    /** The kernel image, e.g. {@code /boot/vmlinuz-6.1.0-56-amd64} (used in place). */
    public Path kernel() {
        return kernel;
    }

    /** The gzip-compressed newc cpio initramfs. */
    public Path initrd() {
        return initrd;
    }

    /** OpenSSH private key (ECDSA P-256, no passphrase) whose public half root accepts. */
    public Path clientKey() {
        return clientKey;
    }

    /** dropbear's private host key (also given to the L1 of {@link TestHypervisorImage}). */
    Path hostKey() {
        return hostKey;
    }

    /** dropbear's host key as a known_hosts key field: {@code ssh-ed25519 AAAA...}. */
    public String hostPublicKey() {
        return hostPublicKey;
    }

    /** Regular files packed into the initramfs. */
    long files() {
        return files;
    }

    /** Their total size in bytes. */
    long bytes() {
        return bytes;
    }

    /** Writes a known_hosts file that pins this image's host key for {@code address}. */
    Path knownHostsFor(String address, Path file) throws IOException {
        Files.writeString(file, address + " " + hostPublicKey + "\n");
        return file;
    }

    private static TestGuestImage build(boolean agent) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the test L1 image copies root-only files (kernel, modules) and boots under qemu:///system: run as root");
        for (String tool : List.of("/bin/busybox", "/usr/sbin/dropbear", "/usr/bin/dropbearkey", "/usr/bin/ssh-keygen",
                "/bin/cpio", "/bin/gzip", "/usr/bin/ldd", IPERF3)) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: install busybox-static, dropbear-bin,"
                    + " openssh-client, cpio, gzip and iperf3 (scripts/install-deps.sh)");
        }
        Path kernel = newestKernel();
        String version = kernel.getFileName().toString().substring("vmlinuz-".length());
        Path modules = Path.of("/lib/modules", version);
        assumeTrue(Files.isDirectory(modules), "no modules for kernel " + version + " in " + modules);

        Path dir = Files.createTempDirectory("nvmx-l1-image-");
        // qemu runs as libvirt's qemu user, which must reach the kernel and initramfs through this directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        LocalHost local = new LocalHost();
        Path root = dir.resolve("root");
        for (String sub : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc/dropbear", "proc", "sys", "dev", "tmp",
                "root/.ssh", "modules", "var/run")) {
            Files.createDirectories(root.resolve(sub));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        List<String> binaries = new ArrayList<>(List.of("/usr/sbin/dropbear", IPERF3));
        if (agent) {
            binaries.add("/usr/sbin/qemu-ga");
        }
        for (String binary : binaries) {
            Files.copy(Path.of(binary), root.resolve(binary.substring(1)));
            for (Path library : sharedLibraries(local, binary)) {
                Path target = root.resolve(library.toString().substring(1));
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    Files.copy(library, target); // follows symlinks: the library's real content under the name ld.so asks for
                }
            }
        }
        List<String> moduleNames = new ArrayList<>(MODULES);
        if (agent) {
            moduleNames.add("virtio_console");
        }
        for (String module : moduleNames) {
            copyModule(local, modules, module, root.resolve("modules/" + module + ".ko"));
        }

        Path hostKey = root.resolve("etc/dropbear/dropbear_ed25519_host_key");
        run(local, Shell.command("dropbearkey", "-t", "ed25519", "-f", hostKey.toString()));
        String hostPublicKey = run(local, Shell.command("dropbearkey", "-y", "-f", hostKey.toString())).lines()
                .filter(line -> line.startsWith("ssh-ed25519 ")).findFirst()
                .map(line -> line.split(" ")[0] + " " + line.split(" ")[1])
                .orElseThrow(() -> new IllegalStateException("dropbearkey -y printed no ssh-ed25519 line"));
        Path clientKey = dir.resolve("client_key");
        run(local, Shell.command("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "nvmx-test",
                "-f", clientKey.toString()));
        Path authorized = root.resolve("root/.ssh/authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);

        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(root.resolve("etc/shells"), "/bin/sh\n");
        writeExecutable(root.resolve("etc/udhcpc.script"), UDHCPC_SCRIPT);
        writeExecutable(root.resolve("init"), init(moduleNames, agent ? START_AGENT : ""));
        // dropbear refuses keys in a directory others may write to.
        Files.setPosixFilePermissions(root.resolve("root"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(root.resolve("root/.ssh"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(hostKey, PosixFilePermissions.fromString("rw-------"));

        Path initrd = dir.resolve("initrd.img");
        run(local, "cd " + Shell.quote(root.toString()) + " && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1 > "
                + Shell.quote(initrd.toString()));
        Files.setPosixFilePermissions(initrd, PosixFilePermissions.fromString("rw-r--r--"));
        return new TestGuestImage(dir, kernel, initrd, clientKey, hostKey, hostPublicKey);
    }

    /** The kernel with the highest version in /boot that has its modules installed. */
    private static Path newestKernel() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/boot"))) {
            List<Path> kernels = files.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
                    .filter(p -> Files.isDirectory(Path.of("/lib/modules",
                            p.getFileName().toString().substring("vmlinuz-".length()))))
                    .sorted(Comparator.comparing(Path::toString)).toList();
            assumeTrue(!kernels.isEmpty(), "no /boot/vmlinuz-* with modules in /lib/modules: install a Debian"
                    + " kernel package, e.g. linux-image-amd64 (libguestfs-tools pulls one in)");
            return kernels.get(kernels.size() - 1);
        }
    }

    /** The absolute paths {@code ldd} lists, the dynamic loader included. */
    static List<Path> sharedLibraries(LocalHost local, String binary) throws Exception {
        String output = run(local, Shell.command("ldd", binary));
        List<Path> libraries = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^\\s*(?:\\S+ => )?(/\\S+) \\(0x").matcher(output);
        while (matcher.find()) {
            libraries.add(Path.of(matcher.group(1)));
        }
        if (libraries.isEmpty()) {
            throw new IllegalStateException("ldd " + binary + " named no library:\n" + output);
        }
        return libraries;
    }

    /** Copies a module, uncompressing it when the distribution ships {@code .ko.xz}. */
    private static void copyModule(LocalHost local, Path modules, String name, Path target) throws Exception {
        try (Stream<Path> files = Files.walk(modules.resolve("kernel"))) {
            Path found = files.filter(p -> p.getFileName().toString().equals(name + ".ko")
                    || p.getFileName().toString().equals(name + ".ko.xz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("module " + name + " not found under " + modules));
            if (found.toString().endsWith(".xz")) {
                run(local, Shell.command("xz", "-dc", found.toString()) + " > " + Shell.quote(target.toString()));
            } else {
                Files.copy(found, target);
            }
        }
    }

    static String run(LocalHost local, String command) throws Exception {
        return run(local, command, STEP_TIMEOUT);
    }

    static String run(LocalHost local, String command, Duration timeout) throws Exception {
        CommandResult result = local.run(command, timeout);
        if (!result.succeeded()) {
            throw new IllegalStateException("building the test L1 image: '" + command + "' exited with "
                    + result.exitStatus() + ":\n" + result.stderr());
        }
        return result.stdout();
    }

    static void writeExecutable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** busybox udhcpc only reports a lease; this script puts it on the interface. */
    static final String UDHCPC_SCRIPT = """
            #!/bin/sh
            case "$1" in
              deconfig)
                ip -4 addr flush dev "$interface"
                ip link set "$interface" up
                ;;
              bound|renew)
                ip -4 addr flush dev "$interface"
                ip addr add "$ip/${mask:-24}" dev "$interface"
                if [ -n "$router" ]; then
                  ip route add default via "${router%% *}" dev "$interface"
                fi
                ;;
            esac
            exit 0
            """;

    /** Starts qemu-ga on the virtio port libvirt named for it, if the domain has one. */
    private static final String START_AGENT = """
            for port in /sys/class/virtio-ports/*; do
              if [ "$(cat "$port/name" 2>/dev/null)" = %s ]; then
                /usr/sbin/qemu-ga -d -m virtio-serial -p "/dev/${port##*/}" || echo "nvmx-l1: qemu-ga failed"
              fi
            done
            """.formatted(AGENT_PORT);

    private static String init(List<String> modules, String extra) {
        return INIT.formatted(String.join(" ", modules), extra, READY_LINE);
    }

    private static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/bin
            mount -t proc proc /proc
            mount -t sysfs sysfs /sys
            mount -t devtmpfs devtmpfs /dev
            mkdir -p /dev/pts
            mount -t devpts devpts /dev/pts
            for m in %s; do
              insmod /modules/$m.ko || echo "nvmx-l1: insmod $m failed"
            done
            ip link set lo up
            # waits for the first lease (up to 60 tries), then keeps renewing it in the background
            udhcpc -i eth0 -s /etc/udhcpc.script -t 60 -T 1 -b
            %s
            /usr/sbin/dropbear -r /etc/dropbear/dropbear_ed25519_host_key -s -p 22
            echo "%s $(ip -4 -o addr show dev eth0)"
            while true; do sleep 3600; done
            """;
}
