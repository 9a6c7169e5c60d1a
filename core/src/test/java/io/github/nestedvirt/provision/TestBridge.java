package io.github.nestedvirt.provision;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A host bridge of its own for a test, standing in for a lab's {@code br0}: a Linux bridge named
 * {@code nvtbr<8 hex digits>} with the address {@code .1} of a free {@code 10.232.x.0/24}, and,
 * when asked, a {@code dnsmasq} serving DHCP on it alone (no DNS), as a lab's DHCP server would:
 * on L0 itself, or, like a lab's, on another machine: a network namespace {@code nvtns<hex>}
 * plugged into the bridge by a veth pair ({@code nvtv<hex>a} / {@code b}) with the address
 * {@code .2}. {@link #close()} stops that dnsmasq and deletes the namespace, the veth pair, the
 * bridge and the directory of the lease file.
 */
final class TestBridge implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Where the bridge's DHCP server runs. */
    enum Dhcp {
        /** None: guests never get an address. */
        NONE,
        /** dnsmasq on L0, which then also puts each client into L0's ARP table as it answers it. */
        ON_L0,
        /** dnsmasq in a namespace of its own behind a veth pair: L0 learns nothing from DHCP. */
        ELSEWHERE
    }

    private final LocalHost local = new LocalHost();
    private final String name;
    private final String tag;
    private final int subnet;
    private final Path dir;
    private Process dnsmasq;

    private TestBridge(String tag, int subnet, Path dir) {
        this.tag = tag;
        this.name = "nvtbr" + tag;
        this.subnet = subnet;
        this.dir = dir;
    }

    /**
     * Creates the bridge, and its DHCP server where {@code dhcp} says; skips the calling test
     * when this machine cannot (not root, no dnsmasq).
     */
    static TestBridge create(Dhcp dhcp) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "creating a bridge needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")),
                "/usr/sbin/dnsmasq is missing: install dnsmasq-base (scripts/install-deps.sh)");
        LocalHost local = new LocalHost();
        String inUse = run(local, "ip -o addr; ip route");
        int subnet = -1;
        for (int attempt = 0; attempt < 100 && subnet < 0; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(1, 255);
            if (!inUse.contains("10.232." + candidate + ".")) {
                subnet = candidate;
            }
        }
        if (subnet < 0) {
            throw new IllegalStateException("no free 10.232.x.0/24 for a test bridge");
        }
        String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        TestBridge bridge = new TestBridge(tag, subnet, Files.createTempDirectory("nvmx-test-bridge-"));
        try {
            String name = bridge.name();
            run(local, Shell.command("ip", "link", "add", name, "type", "bridge") + " && "
                    + Shell.command("ip", "addr", "add", bridge.hostAddress() + "/24", "dev", name) + " && "
                    + Shell.command("ip", "link", "set", name, "up"));
            if (dhcp == Dhcp.ON_L0) {
                bridge.startDnsmasq(List.of(), name, bridge.hostAddress());
            } else if (dhcp == Dhcp.ELSEWHERE) {
                String namespace = bridge.namespace();
                run(local, Shell.command("ip", "netns", "add", namespace) + " && "
                        + Shell.command("ip", "link", "add", bridge.veth("a"), "type", "veth", "peer", "name",
                                bridge.veth("b")) + " && "
                        + Shell.command("ip", "link", "set", bridge.veth("a"), "master", name, "up") + " && "
                        + Shell.command("ip", "link", "set", bridge.veth("b"), "netns", namespace) + " && "
                        + Shell.command("ip", "-n", namespace, "addr", "add", bridge.prefix() + "2/24", "dev",
                                bridge.veth("b")) + " && "
                        + Shell.command("ip", "-n", namespace, "link", "set", bridge.veth("b"), "up") + " && "
                        + Shell.command("ip", "-n", namespace, "link", "set", "lo", "up"));
                bridge.startDnsmasq(List.of("ip", "netns", "exec", namespace), bridge.veth("b"), bridge.prefix() + "2");
            }
            return bridge;
        } catch (Exception | AssertionError e) {
            bridge.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    /** L0's address on the bridge. */
    String hostAddress() {
        return "10.232." + subnet + ".1";
    }

    /** The first three octets and a dot: every guest address on the bridge starts so. */
    String prefix() {
        return "10.232." + subnet + ".";
    }

    /** dnsmasq's lease file: {@code expiry mac ip hostname client-id} lines. */
    Path leaseFile() {
        return dir.resolve("leases");
    }

    private String namespace() {
        return "nvtns" + tag;
    }

    private String veth(String end) {
        return "nvtv" + tag + end;
    }

    /** dnsmasq on {@code device}, run through {@code launcher} (e.g. {@code ip netns exec NS}, which execs it). */
    private void startDnsmasq(List<String> launcher, String device, String address) throws IOException, InterruptedException {
        // In the foreground, so that this Process is dnsmasq itself and close() ends exactly it.
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                "--port=0", "--bind-interfaces", "--interface=" + device, "--except-interface=lo",
                "--listen-address=" + address,
                "--dhcp-range=" + prefix() + "10," + prefix() + "99,255.255.255.0,10m",
                "--dhcp-leasefile=" + leaseFile(), "--pid-file=" + dir.resolve("pid"), "--log-facility=-",
                "--log-dhcp"));
        dnsmasq = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        if (dnsmasq.waitFor(1, TimeUnit.SECONDS)) {
            throw new IllegalStateException("dnsmasq on " + name + " exited with " + dnsmasq.exitValue() + ":\n"
                    + Files.readString(dir.resolve("dnsmasq.log")));
        }
    }

    /** Whether the bridge device exists. */
    static boolean exists(String name) {
        return Files.exists(Path.of("/sys/class/net", name));
    }

    @Override
    public void close() throws Exception {
        try {
            if (dnsmasq != null) {
                dnsmasq.destroy();
                if (!dnsmasq.waitFor(10, TimeUnit.SECONDS)) {
                    dnsmasq.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            if (Files.exists(Path.of("/run/netns", namespace()))) {
                run(local, Shell.command("ip", "netns", "del", namespace()));
            }
            // Deleting the namespace takes the veth pair with it, asynchronously: gone is as good as deleted.
            if (exists(veth("a"))) {
                run(local, Shell.command("ip", "link", "del", veth("a")) + " || test ! -e "
                        + Shell.quote("/sys/class/net/" + veth("a")));
            }
            if (exists(name)) {
                run(local, Shell.command("ip", "link", "del", name));
            }
        } finally {
            for (String file : List.of("leases", "pid", "dnsmasq.log")) {
                Files.deleteIfExists(dir.resolve(file));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static String run(LocalHost local, String command) throws Exception {
        CommandResult result = local.run(command, TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException("'" + command + "' exited with " + result.exitStatus() + ": " + result.stderr());
        }
        return result.stdout();
    }
}
