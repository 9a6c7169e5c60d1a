package io.github.nestedvirt.provision;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.LibvirtErrorOutput;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Wall time of provisioning as a caller sees it, through {@link Provisioner#provision}: 1 and 4
 * real TCG L1s ({@link TestGuestImage} on libvirt's {@code default} network), the 4 in parallel
 * and one after the other; the time from the start of provisioning to the first SSH command's
 * answer; a bridged L1 found by ARP and one found by its guest agent ({@link TestBridge}); and
 * each teardown. On libvirt's test
 * driver, the engine's own part (record, volume, domain, start, lease) of one guest, which there
 * ends at the SSH wait because nothing boots. Not a test: it prints figures and asserts nothing.
 *
 * <p>Argument: rounds, default 1. Needs root and libvirtd with the {@code default} network and pool.
 */
public final class ProvisioningBenchmark {

    private static final Duration SSH_COMMAND = Duration.ofSeconds(30);

    private ProvisioningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        LibvirtErrorOutput.silence();
        TestGuestImage image = TestGuestImage.get();
        Path dir = Files.createTempDirectory("nvmx-provision-benchmark-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            System.out.printf(Locale.ROOT, "test driver, 1 guest up to its SSH wait: %s%n", testDriver(dir));
            for (int round = 1; round <= rounds; round++) {
                System.out.printf(Locale.ROOT, "round %d%n", round);
                System.out.println("  1 L1: " + real(image, dir, 1, 1, "{network: default}"));
                System.out.println("  4 L1s, 4 at once: " + real(image, dir, 4, 4, "{network: default}"));
                System.out.println("  4 L1s, one after the other: " + real(image, dir, 4, 1, "{network: default}"));
                try (TestBridge bridge = TestBridge.create(TestBridge.Dhcp.ON_L0)) {
                    System.out.println("  1 bridged L1 (ARP): " + real(image, dir, 1, 1,
                            "{bridge: " + bridge.name() + ", address: arp}"));
                    System.out.println("  1 bridged L1 (guest agent): " + real(TestGuestImage.withGuestAgent(), dir, 1, 1,
                            "{bridge: " + bridge.name() + ", address: agent}"));
                }
            }
        } finally {
            TestGuestImage.deleteTree(dir);
        }
        System.exit(0); // the image's clean-up runs as a shutdown hook
    }

    /** Provisions {@code count} L1s, runs one SSH command in the first, tears all down; returns the figures. */
    private static String real(TestGuestImage image, Path dir, int count, int parallelism, String network)
            throws Exception {
        String prefix = L1EndToEndTest.PREFIX + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(prefix + "-" + i);
        }
        Topology topology = new TopologyReader().read(TestTopology.yaml(names, image, "", dir, network), "bench.yaml");
        Files.deleteIfExists(dir.resolve("known_hosts"));
        long start = System.nanoTime();
        long provisioned;
        long firstCommand;
        long tornDown;
        try (Lifecycle lifecycle = Lifecycle.open(dir.resolve("run-" + prefix))) {
            ProvisionedTopology guests = new Provisioner(Provisioner.Settings.defaults().withParallelism(parallelism))
                    .provision(topology, lifecycle, Progress.NONE);
            provisioned = System.nanoTime();
            try (SshHost l1 = SshHost.connect(guests.sshTarget(names.get(0)))) {
                l1.run("true", SSH_COMMAND).orThrow(l1.name());
            }
            firstCommand = System.nanoTime();
            if (!lifecycle.tearDown().complete()) {
                throw new IllegalStateException("teardown of " + names + " was incomplete");
            }
            tornDown = System.nanoTime();
        }
        return String.format(Locale.ROOT, "provision %.1f s, to the first SSH command %.1f s, teardown %.1f s",
                seconds(provisioned - start), seconds(firstCommand - start), seconds(tornDown - firstCommand));
    }

    /** The test driver's made-up lease answers at once and no guest answers SSH: the engine's own cost. */
    private static String testDriver(Path dir) throws Exception {
        String name = "nvmx-bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path identity = Files.writeString(dir.resolve("no-key"), "");
        Topology topology = new TopologyReader().read("""
                l0: {uri: "test:///default"}
                l1:
                  - name: %s
                    memory: 256M
                    domainType: qemu
                    allowTcg: true
                    network: {network: default}
                    disk: {size: 16M, pool: default-pool, preallocation: none}
                    keyInjection: image
                    serialLog: %s
                    ssh: {identity: %s, knownHosts: %s}
                """.formatted(name, dir.resolve(name + "-serial.log"), identity, dir.resolve("known_hosts")), "t.yaml");
        // One attempt at the SSH port, of at most 4 x 50 ms, then the wait gives up.
        Provisioner provisioner = new Provisioner(new Provisioner.Settings(Duration.ofHours(1), Duration.ofSeconds(5),
                Duration.ZERO, Duration.ZERO, Duration.ofMillis(50), 1));
        // The test driver keeps its state per connection: one held open keeps the volume and domain for teardown.
        try (LibvirtSession keep = LibvirtSession.open("test:///default");
                Lifecycle lifecycle = Lifecycle.open(dir.resolve("run-" + name))) {
            long start = System.nanoTime();
            try {
                provisioner.provision(topology, lifecycle, Progress.NONE);
                throw new IllegalStateException("a test driver guest answered SSH");
            } catch (GuestNotReadyException expected) {
                // the SSH port wait gave up at once: everything before it is done
            }
            long failed = System.nanoTime();
            lifecycle.tearDown();
            long tornDown = System.nanoTime();
            return String.format(Locale.ROOT, "%.0f ms, teardown %.0f ms", (failed - start) / 1e6,
                    (tornDown - failed) / 1e6);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
