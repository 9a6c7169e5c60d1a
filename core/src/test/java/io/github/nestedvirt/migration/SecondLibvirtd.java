package io.github.nestedvirt.migration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.provision.LibvirtDomain;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.provision.TestGuestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.libvirt.StoragePool;

/**
 * A second L0 on this machine: its own libvirtd (and virtlogd) in a private mount namespace, so
 * that it has its own {@code /etc/libvirt}, {@code /run/libvirt}, {@code /var/lib/libvirt/qemu},
 * cache and logs, and its own host UUID (libvirt refuses to migrate a guest to "the same host",
 * which it tells by that UUID). Its socket lies in a temporary directory the engine reaches:
 * {@link #uri()} is {@code qemu:///system?socket=...}.
 *
 * <p>It shares the network namespace with the first libvirtd: its network {@code default} is
 * the first one's bridge {@code virbr0} (forward mode bridge), so a guest keeps its address when it
 * moves, and QEMU sends the memory over loopback. Its disks are either the first daemon's
 * ({@code /var/lib/libvirt/images} shared, as with shared storage between two L0s) or a private
 * directory at the same path with its own pool {@code default} (two L0s without shared storage,
 * for a storage copy).
 *
 * <p>{@link #close()} destroys and undefines whatever domain is left on it, stops both daemons
 * and removes the directory; the mount namespace goes with the last process in it.
 */
public final class SecondLibvirtd implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Process libvirtd;
    private final String uri;

    private final Thread shutdownHook = new Thread(this::stopOnShutdown, "nvmx-second-libvirtd");
    private boolean closed;

    private SecondLibvirtd(Path dir, Process libvirtd) {
        this.dir = dir;
        this.libvirtd = libvirtd;
        this.uri = "qemu:///system?socket=" + dir.resolve("sock/libvirt-sock");
    }

    /**
     * Starts the daemon and defines its network and, with private storage, its pool.
     *
     * @param sharedImages true: the first daemon's {@code /var/lib/libvirt/images} is seen here too
     */
    public static SecondLibvirtd start(boolean sharedImages) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "a second libvirtd needs root (mount namespace, bind mounts, qemu:///system): run as root");
        for (String tool : List.of("/usr/bin/unshare", "/usr/sbin/libvirtd", "/usr/sbin/virtlogd")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: install util-linux and "
                    + "libvirt-daemon-system (scripts/install-deps.sh)");
        }
        Path dir = Files.createTempDirectory("nvmx-libvirtd-");
        // qemu runs as libvirt's qemu user in here (its private /var/lib/libvirt/qemu).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String sub : List.of("etc", "run", "qemu", "images", "dnsmasq", "cache", "log", "sock")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.setPosixFilePermissions(dir.resolve("images"), PosixFilePermissions.fromString("rwx--x--x"));
        Files.writeString(dir.resolve("etc/libvirtd.conf"), """
                unix_sock_dir = "%s"
                host_uuid = "%s"
                log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
                """.formatted(dir.resolve("sock"), UUID.randomUUID()));
        // Its own range of incoming migration ports, and no cgroups: the first daemon's guests have
        // the same names in the same cgroup tree.
        int ports = 49300 + 10 * ThreadLocalRandom.current().nextInt(60);
        Files.writeString(dir.resolve("etc/qemu.conf"), """
                cgroup_controllers = [ ]
                migration_port_min = %d
                migration_port_max = %d
                """.formatted(ports, ports + 9));
        StringBuilder script = new StringBuilder("set -e\n");
        bind(script, dir.resolve("etc"), "/etc/libvirt");
        bind(script, dir.resolve("run"), "/run/libvirt");
        bind(script, dir.resolve("qemu"), "/var/lib/libvirt/qemu");
        bind(script, dir.resolve("dnsmasq"), "/var/lib/libvirt/dnsmasq");
        bind(script, dir.resolve("cache"), "/var/cache/libvirt");
        bind(script, dir.resolve("log"), "/var/log/libvirt");
        if (!sharedImages) {
            bind(script, dir.resolve("images"), "/var/lib/libvirt/images");
        }
        script.append("virtlogd -d -p ").append(dir.resolve("virtlogd.pid")).append('\n');
        script.append("exec libvirtd -f /etc/libvirt/libvirtd.conf -p ").append(dir.resolve("libvirtd.pid")).append('\n');
        Process process = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                script.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("daemon.out").toFile()).start();
        SecondLibvirtd daemon = new SecondLibvirtd(dir, process);
        // A test JVM ended early (SIGTERM, System.exit) must not leave the daemons and their guests.
        Runtime.getRuntime().addShutdownHook(daemon.shutdownHook);
        try {
            daemon.awaitSocket();
            daemon.define(sharedImages);
            return daemon;
        } catch (Exception | AssertionError e) {
            daemon.close();
            throw e;
        }
    }

    private static void bind(StringBuilder script, Path from, String to) {
        script.append("mount --bind ").append(from).append(' ').append(to).append('\n');
    }

    /** The URI the engine opens this daemon with. */
    public String uri() {
        return uri;
    }

    /** Names of the domains on this daemon. */
    public List<String> domains() throws Exception {
        try (LibvirtSession session = LibvirtSession.open(uri)) {
            return session.domainNames();
        }
    }

    /** Names of the volumes in its pool {@code default} (with shared storage: the first daemon's files). */
    public List<String> volumes() throws Exception {
        try (LibvirtSession session = LibvirtSession.open(uri)) {
            return session.call("list volumes", c -> {
                StoragePool pool = c.storagePoolLookupByName("default");
                pool.refresh(0);
                return List.of(pool.listVolumes());
            });
        }
    }

    private void awaitSocket() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Path socket = dir.resolve("sock/libvirt-sock");
        while (!Files.exists(socket)) {
            if (!libvirtd.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the second libvirtd did not come up within "
                        + START_TIMEOUT.toSeconds() + " s; its output:\n" + Files.readString(dir.resolve("daemon.out")));
            }
            Thread.sleep(100);
        }
    }

    private void define(boolean sharedImages) throws Exception {
        try (LibvirtSession session = LibvirtSession.open(uri)) {
            session.call("define network default on virbr0", c -> {
                c.networkDefineXML("<network><name>default</name><forward mode='bridge'/>"
                        + "<bridge name='virbr0'/></network>").create();
                return null;
            });
            if (!sharedImages) {
                session.call("define pool default", c -> {
                    c.storagePoolDefineXML("<pool type='dir'><name>default</name><target>"
                            + "<path>/var/lib/libvirt/images</path></target></pool>", 0).create(0);
                    return null;
                });
            }
        }
    }

    /**
     * Prints the last lines of {@code guest}'s QEMU logs on both L0s (this daemon's, and the first
     * one's under {@code /var/log/libvirt/qemu}) and of its serial log (one file both daemons' QEMUs
     * write, as the tests keep it outside the private mounts) to the test's error output: a failed
     * migration test keeps why, although its teardown removes the guest and this directory.
     */
    public void printLogsOf(String guest, Path serialLog) {
        for (Path log : List.of(dir.resolve("log/qemu/" + guest + ".log"), Path.of(Provisioner.LIBVIRT_QEMU_LOGS,
                guest + ".log"), serialLog)) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                System.err.println("---- last lines of " + log + " ----");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
            } catch (IOException e) {
                System.err.println("---- " + log + ": not readable: " + e.getMessage());
            }
        }
    }

    /** Does {@code work}, and when it fails prints {@code guest}'s logs first ({@link #printLogsOf}). */
    public <T> T logsIfFailing(String guest, Path serialLog, Callable<T> work) throws Exception {
        try {
            return work.call();
        } catch (Exception | AssertionError e) {
            printLogsOf(guest, serialLog);
            throw e;
        }
    }

    /** Removes what is left on it, stops both daemons, removes the directory. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        try {
            if (libvirtd.isAlive()) {
                try (LibvirtSession session = LibvirtSession.open(uri)) {
                    for (String name : session.domainNames()) {
                        try (LibvirtDomain domain = session.find(name).orElseThrow()) {
                            domain.destroy();
                            domain.undefine();
                        }
                    }
                } catch (Exception e) {
                    System.err.println("second libvirtd " + uri + ": removing leftover domains: " + e.getMessage());
                }
            }
        } finally {
            libvirtd.destroy();
            if (!libvirtd.waitFor(30, TimeUnit.SECONDS)) {
                libvirtd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Path virtlogd = dir.resolve("virtlogd.pid");
            if (Files.exists(virtlogd)) {
                Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(Files.readString(virtlogd).strip()));
                if (process.isPresent()) {
                    process.get().destroy();
                    // it removes its pid file on the way out: delete the directory after that
                    try {
                        process.get().onExit().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        System.err.println("second libvirtd: virtlogd did not stop: " + e);
                    }
                }
            }
            TestGuestImage.deleteTree(dir);
        }
    }

    private void stopOnShutdown() {
        try {
            close();
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("second libvirtd " + uri + ": stopping at exit: " + e);
        }
    }
}
