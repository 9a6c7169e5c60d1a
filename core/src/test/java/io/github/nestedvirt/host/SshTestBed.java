package io.github.nestedvirt.host;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two real OpenSSH servers in network namespaces of their own, for tests and benchmarks:
 * "l1" is reachable from this JVM, "l2" only from l1, like an L2 guest on the private network
 * of its L1.
 *
 * <pre>
 *   root namespace 10.231.N.1 --veth-- 10.231.N.2 [ns l1, sshd] 10.231.N+1.1 --veth-- 10.231.N+1.2 [ns l2, sshd]
 * </pre>
 *
 * The root namespace gets an {@code unreachable} route for l2's network, so a direct attempt
 * fails at once and no packet leaves the machine through the default route.
 *
 * <p>Generated per bed: host keys, a known_hosts file, client keys (ed25519 with a passphrase,
 * ECDSA and RSA without, and an ed25519 "stranger" key that is not authorized) and an
 * ssh_config for the system {@code ssh} client. Names carry the JVM's pid, so leftovers of a
 * crashed run are recognised and removed without touching beds of JVMs still running.
 * Needs root, {@code ip netns}, {@code /usr/sbin/sshd} and {@code ssh-keygen}.
 */
public final class SshTestBed implements AutoCloseable {

    /** Passphrase of {@link #ed25519Key()}; test-only. */
    public static final String PASSPHRASE = "correct horse battery staple";

    private static final String NS_PREFIX = "nvmxtest-";
    private static final Pattern NS_NAME = Pattern.compile(NS_PREFIX + "(\\d+)-.*");
    private static final Pattern LINK_NAME = Pattern.compile("nv(\\d+)-\\w+");
    private static final AtomicInteger BEDS = new AtomicInteger();
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    private final LocalHost local = new LocalHost();
    private final Path dir;
    private final String tag;
    private final int subnet;
    private final List<Process> servers = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private boolean routeAdded;

    private SshTestBed(Path dir, String tag, int subnet) {
        this.dir = dir;
        this.tag = tag;
        this.subnet = subnet;
    }

    /** Builds the bed, or skips the calling test (assumption) if this machine cannot. */
    public static SshTestBed start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "SSH test bed needs root to create network namespaces; run the tests as root");
        for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/bin/ssh")) {
            assumeTrue(Files.isExecutable(Path.of(tool)),
                    "SSH test bed needs " + tool + " (Debian packages openssh-server, openssh-client)");
        }
        LocalHost probe = new LocalHost();
        assumeTrue(probe.run("ip netns list", Duration.ofSeconds(10)).succeeded(),
                "SSH test bed needs 'ip netns' (iproute2) to work");
        removeStale(probe);
        long pid = ProcessHandle.current().pid();
        String tag = pid + "-" + Integer.toString(BEDS.getAndIncrement() % 36, 36);
        SshTestBed bed = new SshTestBed(Files.createTempDirectory("nvmx-sshbed-"), tag, freeSubnet(probe));
        try {
            bed.build();
            return bed;
        } catch (Exception | AssertionError e) {
            bed.close();
            throw e;
        }
    }

    /** The address of the jump host l1, reachable from this JVM. */
    public String l1Address() {
        return "10.231." + subnet + ".2";
    }

    /** The address of l2, reachable only from l1. */
    public String l2Address() {
        return "10.231." + (subnet + 1) + ".2";
    }

    /** l1's address on l2's network, reachable only from l2 (sshd listens there too). */
    public String l1LowerAddress() {
        return "10.231." + (subnet + 1) + ".1";
    }

    public String l1Namespace() {
        return NS_PREFIX + tag + "-l1";
    }

    public String l2Namespace() {
        return NS_PREFIX + tag + "-l2";
    }

    public Path dir() {
        return dir;
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public Path ed25519Key() {
        return dir.resolve("id_ed25519");
    }

    public Path ecdsaKey() {
        return dir.resolve("id_ecdsa");
    }

    public Path rsaKey() {
        return dir.resolve("id_rsa");
    }

    public Path strangerKey() {
        return dir.resolve("id_stranger");
    }

    /** An ssh_config for the system client: ECDSA key, this bed's known_hosts, batch mode. */
    public Path sshConfig() {
        return dir.resolve("ssh_config");
    }

    public Path hostKey(String server) {
        return dir.resolve(server + "_host_key");
    }

    /** root@l1 with the ECDSA key and strict host key checking. */
    public SshTarget l1() {
        return SshTarget.of("root", l1Address(), 22, ecdsaKey(), knownHosts());
    }

    /** root@l2 through {@code jump}. */
    public SshTarget l2Via(SshTarget jump) {
        return SshTarget.of("root", l2Address(), 22, ecdsaKey(), knownHosts()).withVia(jump);
    }

    /** The SHA256 fingerprint of a server's host key as {@code ssh-keygen -l} prints it. */
    public String hostKeyFingerprint(String server) throws Exception {
        String line = local.run(Shell.command("ssh-keygen", "-l", "-f", hostKey(server) + ".pub"), SETUP_TIMEOUT)
                .orThrow(local.name()).stdout();
        return line.split(" ")[1];
    }

    /** How many logins sshd on {@code server} ("l1" or "l2") has accepted so far. */
    public long acceptedLogins(String server) throws IOException {
        return Files.readAllLines(dir.resolve(server + ".log")).stream()
                .filter(line -> line.contains("Accepted publickey")).count();
    }

    /** Runs a command inside a server's namespace (e.g. to look for processes), as root. */
    public CommandResult inNamespace(String namespace, String command) throws Exception {
        return local.run(Shell.command("ip", "netns", "exec", namespace, "/bin/sh", "-c", command), SETUP_TIMEOUT);
    }

    private void build() throws Exception {
        keygen("ed25519", ed25519Key(), PASSPHRASE);
        keygen("ecdsa", ecdsaKey(), "");
        keygen("rsa", rsaKey(), "");
        keygen("ed25519", strangerKey(), "");
        Files.writeString(dir.resolve("authorized_keys"), Files.readString(Path.of(ed25519Key() + ".pub"))
                + Files.readString(Path.of(ecdsaKey() + ".pub")) + Files.readString(Path.of(rsaKey() + ".pub")));
        keygen("ed25519", hostKey("l1"), "");
        keygen("ed25519", hostKey("l2"), "");
        Files.writeString(knownHosts(), l1Address() + " " + Files.readString(Path.of(hostKey("l1") + ".pub"))
                + l2Address() + " " + Files.readString(Path.of(hostKey("l2") + ".pub")));
        Files.writeString(sshConfig(), String.join("\n",
                "Host *",
                "  User root",
                "  IdentityFile " + ecdsaKey(),
                "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + knownHosts(),
                "  GlobalKnownHostsFile /dev/null",
                "  StrictHostKeyChecking yes",
                "  BatchMode yes",
                "  ControlMaster no",
                "  ControlPath none", ""));

        String l1 = l1Namespace();
        String l2 = l2Namespace();
        String rootEnd = "nv" + tag + "r";
        String l1Up = "nv" + tag + "a";
        String l1Down = "nv" + tag + "b";
        String l2End = "nv" + tag + "c";
        String net1 = "10.231." + subnet;
        String net2 = "10.231." + (subnet + 1);
        sh("ip netns add " + l1);
        namespaces.add(l1);
        sh("ip netns add " + l2);
        namespaces.add(l2);
        sh("ip -n " + l1 + " link set lo up && ip -n " + l2 + " link set lo up");
        sh("ip link add " + rootEnd + " type veth peer name " + l1Up + " netns " + l1);
        sh("ip addr add " + net1 + ".1/24 dev " + rootEnd + " && ip link set " + rootEnd + " up");
        sh("ip -n " + l1 + " addr add " + net1 + ".2/24 dev " + l1Up + " && ip -n " + l1 + " link set " + l1Up + " up");
        sh("ip -n " + l1 + " link add " + l1Down + " type veth peer name " + l2End + " netns " + l2);
        sh("ip -n " + l1 + " addr add " + net2 + ".1/24 dev " + l1Down + " && ip -n " + l1 + " link set " + l1Down + " up");
        sh("ip -n " + l2 + " addr add " + net2 + ".2/24 dev " + l2End + " && ip -n " + l2 + " link set " + l2End + " up");
        sh("ip route add unreachable " + net2 + ".0/24");
        routeAdded = true;
        Files.createDirectories(Path.of("/run/sshd"));
        // l1 also listens towards l2, so that chains deeper than two hops (l1, l2, l1 again) can be tested.
        startSshd("l1", l1, l1Address(), l1LowerAddress());
        startSshd("l2", l2, l2Address());
    }

    private void startSshd(String server, String namespace, String... addresses) throws Exception {
        Path config = dir.resolve(server + "_sshd_config");
        Path log = dir.resolve(server + ".log");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + String.join(":22\nListenAddress ", addresses) + ":22",
                "HostKey " + hostKey(server),
                "PidFile " + dir.resolve(server + ".pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding yes",
                "MaxSessions 50",
                "MaxStartups 200",
                "LogLevel INFO", ""));
        Files.writeString(log, "");
        // Root's home on this machine may hold shell start-up files (bash reads ~/.bashrc for every
        // SSH command); a fresh guest has none, so the server sees an empty home of its own, bind-mounted
        // in a private mount namespace that nothing else sees.
        Path home = Files.createDirectories(dir.resolve(server + "_home"));
        String serve = "mount --bind " + Shell.quote(home.toString()) + " /root && exec "
                + Shell.command("/usr/sbin/sshd", "-D", "-f", config.toString(), "-E", log.toString());
        Process sshd = new ProcessBuilder("ip", "netns", "exec", namespace, "unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", serve)
                .redirectErrorStream(true).redirectOutput(dir.resolve(server + ".out").toFile()).start();
        servers.add(sshd);
        long end = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        while (!Files.readString(log).contains("Server listening on")) {
            if (!sshd.isAlive() || System.nanoTime() - end > 0) {
                throw new IllegalStateException("sshd of " + server + " did not start; its log:\n"
                        + Files.readString(log) + Files.readString(dir.resolve(server + ".out")));
            }
            Thread.sleep(20);
        }
    }

    private void keygen(String type, Path file, String passphrase) throws Exception {
        local.run(Shell.command("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", file.getFileName().toString(),
                "-f", file.toString()), SETUP_TIMEOUT).orThrow(local.name());
    }

    private void sh(String command) throws Exception {
        local.run(command, SETUP_TIMEOUT).orThrow(local.name());
    }

    /** A /24 pair not in use by any address or route of this machine (other beds may run concurrently). */
    private static int freeSubnet(LocalHost probe) throws Exception {
        String inUse = probe.run("ip -o addr; ip route", SETUP_TIMEOUT).stdout();
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = 2 * ThreadLocalRandom.current().nextInt(1, 125);
            if (!inUse.contains("10.231." + candidate + ".") && !inUse.contains("10.231." + (candidate + 1) + ".")) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.231.x.0/24 pair for the SSH test bed");
    }

    /** Removes namespaces, links and routes left by beds whose JVM is gone. */
    private static void removeStale(LocalHost probe) throws Exception {
        for (String line : probe.run("ip netns list", SETUP_TIMEOUT).stdout().split("\n")) {
            String name = line.split(" ")[0];
            Matcher m = NS_NAME.matcher(name);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                deleteNamespace(probe, name);
            }
        }
        for (String line : probe.run("ip -o link show", SETUP_TIMEOUT).stdout().split("\n")) {
            String[] fields = line.split(":? +");
            if (fields.length > 1) {
                String name = fields[1].replaceAll("@.*", "");
                Matcher m = LINK_NAME.matcher(name);
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    probe.run(Shell.command("ip", "link", "del", name), SETUP_TIMEOUT);
                }
            }
        }
        // An unreachable route of a bed whose l1 network is gone is a leftover.
        String addresses = probe.run("ip -o addr", SETUP_TIMEOUT).stdout();
        for (String route : probe.run("ip route show type unreachable", SETUP_TIMEOUT).stdout().split("\n")) {
            Matcher m = Pattern.compile("unreachable 10\\.231\\.(\\d+)\\.0/24.*").matcher(route.strip());
            if (m.matches() && !addresses.contains("10.231." + (Integer.parseInt(m.group(1)) - 1) + ".1/24")) {
                probe.run("ip route del unreachable 10.231." + m.group(1) + ".0/24", SETUP_TIMEOUT);
            }
        }
    }

    private static void deleteNamespace(LocalHost probe, String namespace) throws Exception {
        // Servers inside keep a namespace alive in spirit (they keep running): end them first.
        probe.run("for p in $(ip netns pids " + Shell.quote(namespace) + "); do kill -KILL \"$p\"; done", SETUP_TIMEOUT);
        probe.run(Shell.command("ip", "netns", "del", namespace), SETUP_TIMEOUT);
    }

    /** Ends the servers and every process in the namespaces, deletes namespaces, links and route. */
    @Override
    public void close() throws Exception {
        for (Process server : servers) {
            server.destroy();
        }
        for (Process server : servers) {
            server.onExit().get();
        }
        for (String namespace : namespaces) {
            deleteNamespace(local, namespace);
        }
        if (routeAdded) {
            local.run("ip route del unreachable 10.231." + (subnet + 1) + ".0/24", SETUP_TIMEOUT);
        }
        local.run(Shell.command("rm", "-rf", dir.toString()), SETUP_TIMEOUT);
    }
}
