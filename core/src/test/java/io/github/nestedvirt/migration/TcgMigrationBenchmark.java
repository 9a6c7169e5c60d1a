package io.github.nestedvirt.migration;

import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.LibvirtErrorOutput;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.provision.TestGuestImage;
import io.github.nestedvirt.provision.TestHypervisorImage;
import io.github.nestedvirt.provision.TestTopology;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live migration of the TCG test L1 ({@link TestGuestImage}, 1 vCPU, 384 MiB) between this
 * machine's libvirtd and a {@link SecondLibvirtd}, with shared storage and with a storage copy:
 * total time, downtime seen by the SSH probe, QEMU's downtime, its passes over the memory and
 * the memory it sent, and, as a cross-check of the probe, the longest gap between replies of an
 * ICMP ping every 10 ms from L0 to the L1. With {@code nested}: the L1 of
 * {@link TestHypervisorImage#onOwnDisk()} (2 vCPUs, 1 GiB) with its L2 running, the probe in the
 * L2, shared storage. Not a test: it prints figures and asserts nothing.
 *
 * <p>Arguments: [{@code nested}] round trips, default 3 (6 migrations per storage mode).
 */
public final class TcgMigrationBenchmark {

    /** TCG inside TCG is slow: the L2 takes minutes to answer. */

    /** iputils' ping (Debian package iputils-ping): {@code -D} prints a time stamp per reply. */
    private static final boolean PING_INSTALLED = Files.isExecutable(Path.of("/usr/bin/ping"));
    private static final Pattern PING_REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from");

    private TcgMigrationBenchmark() {
    }

    /** The topology to migrate, as YAML: the L1 named {@code name}, its files in {@code dir}. */
    @FunctionalInterface
    private interface Lab {
        String yaml(String name, Path dir) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        boolean nested = args.length > 0 && args[0].equals("nested");
        int roundTrips = args.length > (nested ? 1 : 0) ? Integer.parseInt(args[nested ? 1 : 0]) : 3;
        LibvirtErrorOutput.silence();
        if (nested) {
            TestHypervisorImage image = TestHypervisorImage.onOwnDisk();
            measure("L1 with its L2 running, shared storage", (name, dir) -> TestTopology.nestedYaml(name, name + "-2",
                    image, "", dir), MigrationRoute.Storage.SHARED_UNCHECKED, roundTrips);
        } else {
            TestGuestImage image = TestGuestImage.get();
            Lab l1 = (name, dir) -> TestTopology.yaml(List.of(name), image, "", dir);
            measure("L1 alone, shared storage", l1, MigrationRoute.Storage.SHARED_UNCHECKED, roundTrips);
            measure("L1 alone, storage copy", l1, MigrationRoute.Storage.COPY, roundTrips);
        }
        System.exit(0);
    }

    private static void measure(String what, Lab lab, MigrationRoute.Storage storage, int roundTrips)
            throws Exception {
        String name = "nvmx-test-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path dir = Files.createTempDirectory("nvmx-migration-benchmark-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<double[]> legs = new ArrayList<>();
        try (SecondLibvirtd secondL0 = SecondLibvirtd.start(storage != MigrationRoute.Storage.COPY);
                Lifecycle lifecycle = Lifecycle.open(dir.resolve("run"))) {
            ProvisionedTopology guests = new Provisioner(TestTopology.SLOW_NESTED).provision(
                    new TopologyReader().read(lab.yaml(name, dir), "lab.yaml"), lifecycle, MigrationL1Test.PRINT);
            MigrationBenchmark benchmark = new MigrationBenchmark(LiveMigration.withLibvirt(),
                    guest -> SshHost.connect(guests.sshTarget(guest)), MigrationL1Test.PRINT);
            MigrationBenchmark.Checks checks = MigrationBenchmark.Checks.of(guests, name);
            MigrationRoute leg = new MigrationRoute(name, "qemu:///system", secondL0.uri(), storage, "tcp://127.0.0.1");
            for (int i = 0; i < 2 * roundTrips; i++) {
                Path replies = dir.resolve("ping-" + i + ".txt");
                Process ping = PING_INSTALLED ? new ProcessBuilder("ping", "-n", "-D", "-i", "0.01",
                        guests.guest(name).address()).redirectErrorStream(true).redirectOutput(replies.toFile()).start()
                        : null;
                Thread.sleep(300); // a few replies before the migration starts
                List<Measurement> measured = benchmark.run(leg, 0, checks, lifecycle.record());
                Thread.sleep(300);
                double icmp = Double.NaN;
                if (ping != null) {
                    ping.destroy();
                    ping.waitFor();
                    icmp = longestReplyGapMillis(replies);
                }
                legs.add(new double[] {value(measured, "seconds"), value(measured, "downtime"),
                        value(measured, "qemu-downtime"), value(measured, "memory-rounds"),
                        value(measured, "memory-sent"), icmp});
                leg = leg.back();
            }
        } finally {
            TestGuestImage.deleteTree(dir);
        }
        System.out.printf(Locale.ROOT, "%s, %d migrations (median, min - max):%n", what, legs.size());
        String[] figures = {"total time, s", "downtime seen over SSH, ms", "QEMU's downtime, ms",
            "passes over the memory", "memory sent, MiB", "longest gap between the L1's ICMP replies, ms"};
        for (int f = 0; f < figures.length; f++) {
            int column = f;
            double[] values = legs.stream().mapToDouble(l -> l[column]).sorted().toArray();
            System.out.printf(Locale.ROOT, "  %-38s %9.2f  %9.2f - %9.2f   all: %s%n", figures[f],
                    values[values.length / 2], values[0], values[values.length - 1], Arrays.toString(
                            legs.stream().mapToDouble(l -> l[column]).map(v -> Math.round(v * 100) / 100.0).toArray()));
        }
    }

    private static double value(List<Measurement> measurements, String metric) {
        return measurements.stream().filter(m -> m.metric().equals(metric)).findFirst()
                .map(m -> m.values()[0]).orElse(Double.NaN);
    }

    /** The longest gap between consecutive replies ping printed with {@code -D} (Unix time stamps). */
    private static double longestReplyGapMillis(Path pingOutput) throws Exception {
        List<Double> replies = new ArrayList<>();
        for (String line : Files.readAllLines(pingOutput)) {
            Matcher reply = PING_REPLY.matcher(line);
            if (reply.find()) {
                replies.add(Double.parseDouble(reply.group(1)));
            }
        }
        double longest = 0;
        for (int i = 1; i < replies.size(); i++) {
            longest = Math.max(longest, replies.get(i) - replies.get(i - 1));
        }
        return longest * 1000;
    }
}
