package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.plan.PlanException;
import io.github.nestedvirt.plan.PlanReader;
import io.github.nestedvirt.plan.PlanRunner;
import io.github.nestedvirt.plan.RunOutcome;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.VolumeXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.StoragePool;

/**
 * Real L1s under the real libvirtd on this machine, brought up by the {@link Provisioner} from a
 * topology written as YAML: qemu under TCG boots {@link TestGuestImage} from a qcow2 volume's
 * domain, gets an address from libvirt's {@code default} network, answers SSH, runs the
 * foundation's {@link IoScan}; the lifecycle's teardown then leaves no domain, no volume, no log
 * file, and {@code topology.json} marks every resource removed.
 *
 * <p>Needs root and a running libvirtd with the {@code default} network and storage pool
 * ({@code scripts/start-libvirt.sh}).
 */
@Tag("libvirt")
class L1EndToEndTest {

    static final String URI = "qemu:///system";
    static final String POOL = "default";
    /** Test domains are {@code nvmx-test-<pid of the JVM>-<random>}, so stale ones can be told apart. */
    static final String PREFIX = "nvmx-test-";
    private static final Pattern TEST_DOMAIN = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-[0-9a-f]+(-\\d)?");
    /** Prints the provisioner's steps into the test's output. */
    static final Progress PRINT = new Progress() {
        @Override
        public void run(String task, int index, int planned, int cap, Duration elapsed) {
        }

        @Override
        public void info(String message) {
            System.out.println("  " + message);
        }
    };

    private LibvirtSession session;
    private String name;
    private Path guestDir;
    private Path runDir;

    @BeforeAll
    static void removeLeftoversOfCrashedRuns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "boots a guest under qemu:///system: run as root");
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
        try (LibvirtSession libvirt = LibvirtSession.open(URI)) {
            for (String stale : libvirt.domainNames()) {
                Matcher matcher = TEST_DOMAIN.matcher(stale);
                // Only domains whose JVM is gone: another test run may be using its own right now.
                if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                    try (LibvirtDomain domain = libvirt.find(stale).orElseThrow()) {
                        domain.destroy();
                        domain.undefine();
                    }
                }
            }
        }
    }

    @BeforeEach
    void prepare() throws Exception {
        session = LibvirtSession.open(URI);
        name = PREFIX + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        guestDir = Files.createTempDirectory("nvmx-test-l1-");
        // qemu runs as libvirt's qemu user and must be able to create the serial log in here.
        Files.setPosixFilePermissions(guestDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        runDir = guestDir.resolve("run-" + name);
    }

    @AfterEach
    void close() throws Exception {
        try {
            TestGuestImage.deleteTree(guestDir);
        } finally {
            session.close();
        }
    }

    @Test
    void provisionsAnL1ThatRunsIoScanOverSshAndTeardownLeavesNothing() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        Topology topology = TestTopology.of(List.of(name), image, "", guestDir);
        List<Measurement> measurements;
        String kernelRelease;
        ProvisionedTopology provisioned;
        TeardownReport report;
        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            long start = System.nanoTime();
            provisioned = new Provisioner(Provisioner.Settings.defaults()).provision(topology, lifecycle, PRINT);
            System.out.printf("Provision 1 L1: %.1f s%n", (System.nanoTime() - start) / 1e9);
            assertThat(ProvisionedTopology.read(runDir)).isEqualTo(provisioned);
            try (SshHost l1 = SshHost.connect(provisioned.sshTarget(name))) {
                kernelRelease = l1.run("uname -r", Duration.ofSeconds(30)).orThrow(l1.name()).stdout().strip();
                IoScan scan = new IoScan(IoScan.Parameters.fromPlan(List.of("/"), true, false, 0, 2, 2, 300));
                measurements = scan.measure(l1, Level.L1, Progress.NONE);
            }
            assertThat(Files.readString(guestDir.resolve(name + "-serial.log"))).contains(TestGuestImage.READY_LINE);
            long teardown = System.nanoTime();
            report = lifecycle.tearDown();
            System.out.printf("Teardown of 1 L1: %.1f s%n", (System.nanoTime() - teardown) / 1e9);
        }

        ProvisionedGuest guest = provisioned.guest(name);
        assertThat(guest.level()).isEqualTo(Level.L1);
        assertThat(guest.address()).startsWith("192.168.122.");
        // A fresh known_hosts recorded exactly the key baked into the image: no other host answered.
        assertThat(Files.readString(guestDir.resolve("known_hosts")).strip())
                .isEqualTo(guest.address() + " " + image.hostPublicKey());
        // It really was the L1 we built: the kernel from /boot, and the files we packed.
        assertThat(kernelRelease).isEqualTo(image.kernel().getFileName().toString().substring("vmlinuz-".length()));
        assertThat(measurements).extracting(Measurement::metric).containsExactly("seconds", "throughput");
        for (Measurement measurement : measurements) {
            assertThat(measurement.level()).isEqualTo(Level.L1);
            assertThat(measurement.samples()).hasSize(2).allSatisfy(s -> assertThat(s.value()).isPositive());
            Map<String, String> attributes = measurement.attributes();
            assertThat(Long.parseLong(attributes.get("files"))).isGreaterThanOrEqualTo(image.files());
            assertThat(Long.parseLong(attributes.get("bytes"))).isGreaterThanOrEqualTo(image.bytes());
            assertThat(attributes.get("permissionDenied")).isEqualTo("0");
        }
        System.out.printf("io-scan in the L1: %s s, %s MB/s over %s files%n",
                measurements.get(0).samples().stream().map(Sample::value).toList(),
                measurements.get(1).samples().stream().map(Sample::value).toList(),
                measurements.get(0).attributes().get("files"));
        assertThat(report.removed()).extracting(Resource::kind).containsExactlyInAnyOrder(Resource.Kind.DOMAIN,
                Resource.Kind.VOLUME, Resource.Kind.FILE, Resource.Kind.FILE);
        assertNothingLeft(List.of(name));
    }

    @Test
    void aGuestThatStopsBeforeItIsReadyFailsWithItsSerialLogAndTeardownLeavesNothing() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        // Its first process powers it off before any network comes up (on_poweroff=destroy stops the
        // domain): the wait for its address must fail at once, not after the timeout.
        Topology topology = TestTopology.of(List.of(name), image, "rdinit=/bin/busybox -- poweroff -f", guestDir);
        Provisioner provisioner = new Provisioner(Provisioner.Settings.defaults());
        Path serialLog = guestDir.resolve(name + "-serial.log");

        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            assertThatThrownBy(() -> provisioner.provision(topology, lifecycle, PRINT))
                    .isInstanceOf(GuestNotReadyException.class)
                    .hasMessageStartingWith(name + ": the domain stopped running before it got an address; "
                            + "last 40 lines of its serial log " + serialLog)
                    .hasMessageContaining("reboot: Power down")
                    .satisfies(e -> System.out.println("A guest that stops before it is ready: " + e.getMessage()));
            // While the error propagates, everything is still recorded as live, for the caller's teardown.
            assertThat(TopologyRecord.read(runDir).live()).hasSize(4);
        }

        assertThat(runDir.resolve(ProvisionedTopology.FILE_NAME)).doesNotExist();
        assertNothingLeft(List.of(name));
    }

    @Test
    void twoL1sProvisionedInParallelAndOneAfterTheOtherAnswerSshAndLeaveNothing() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        List<String> names = List.of(name + "-1", name + "-2");
        Topology topology = TestTopology.of(names, image, "", guestDir);
        double[] seconds = new double[2];
        for (int parallelism : new int[] {2, 1}) {
            Path run = runDir.resolveSibling(runDir.getFileName() + "-p" + parallelism);
            try (Lifecycle lifecycle = Lifecycle.open(run)) {
                long start = System.nanoTime();
                ProvisionedTopology provisioned = new Provisioner(Provisioner.Settings.defaults()
                        .withParallelism(parallelism)).provision(topology, lifecycle, PRINT);
                seconds[parallelism - 1] = (System.nanoTime() - start) / 1e9;
                // Both first logins recorded their key in the one known_hosts file, none lost the other's.
                assertThat(Files.readAllLines(guestDir.resolve("known_hosts"))).containsExactlyInAnyOrderElementsOf(
                        provisioned.guests().stream().map(g -> g.address() + " " + image.hostPublicKey()).toList());
                for (String guest : names) {
                    try (SshHost l1 = SshHost.connect(provisioned.sshTarget(guest))) {
                        assertThat(l1.run("ip -4 -o addr show dev eth0",
                                Duration.ofSeconds(30)).orThrow(guest).stdout())
                                .contains(provisioned.guest(guest).address());
                    }
                }
                long teardown = System.nanoTime();
                assertThat(lifecycle.tearDown().complete()).isTrue();
                System.out.printf("Teardown of 2 L1s: %.1f s%n", (System.nanoTime() - teardown) / 1e9);
            }
            runDir = run;
            assertNothingLeft(names);
            // The next run's guests may get the same addresses: start with a fresh known_hosts.
            Files.delete(guestDir.resolve("known_hosts"));
        }
        System.out.printf("Provision 2 L1s: %.1f s in parallel, %.1f s one after the other%n", seconds[1], seconds[0]);
    }

    /** Every trace of the guests is gone, and the record says every resource was removed. */
    @Test
    void aPlanWithATopologyProvisionsItsL1MeasuresInItAndTearsItDown() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        Files.writeString(guestDir.resolve("topology.yaml"), TestTopology.yaml(List.of(name), image, "", guestDir));
        Path plan = guestDir.resolve("plan.yaml");
        Files.writeString(plan, """
                name: l1-plan
                topology: topology.yaml
                hosts:
                  l0: {level: L0, local: true}
                  l1: {level: L1, guest: %s}
                benchmarks:
                  - {type: io, host: l1, paths: [/bin], warmups: 0, runs: 2, maxRuns: 2}
                """.formatted(name));

        RunOutcome outcome = new PlanRunner(guestDir.resolve("results"), PRINT).run(new PlanReader().read(plan));

        Run run = outcome.run();
        assertThat(run.failures()).isEmpty();
        assertThat(run.fingerprint()).singleElement().satisfies(facts -> {
            assertThat(facts.level()).isEqualTo(Level.L1);
            assertThat(facts.kernel()).isEqualTo(image.kernel().getFileName().toString().substring("vmlinuz-".length()));
        });
        assertThat(run.measurements()).hasSize(2).allSatisfy(m -> {
            assertThat(m.level()).isEqualTo(Level.L1);
            assertThat(m.host()).startsWith("root@192.168.122.");
            assertThat(m.values()).hasSize(2);
        });
        runDir = outcome.directory();
        assertNothingLeft(List.of(name));
    }

    @Test
    void aPlanNamingAGuestItsTopologyLacksIsRefusedBeforeAnythingStarts() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        Files.writeString(guestDir.resolve("topology.yaml"), TestTopology.yaml(List.of(name), image, "", guestDir));
        Path plan = guestDir.resolve("plan.yaml");
        Files.writeString(plan, """
                name: typo
                topology: topology.yaml
                hosts: {l1: {level: L1, guest: no-such-guest}}
                benchmarks: [{type: io, host: l1}]
                """);

        assertThatThrownBy(() -> new PlanRunner(guestDir.resolve("results"), PRINT).run(new PlanReader().read(plan)))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("hosts.l1.guest: no guest 'no-such-guest'").hasMessageContaining(name);
        assertThat(guestDir.resolve("results")).doesNotExist();
        assertThat(session.find(name)).isEmpty();
    }

    private void assertNothingLeft(List<String> names) throws Exception {
        List<String> volumes = volumes(session);
        List<Resource> recorded = TopologyRecord.read(runDir).resources();
        assertThat(recorded).hasSize(4 * names.size()).allSatisfy(r ->
                assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        for (String guest : names) {
            assertThat(session.find(guest)).isEmpty();
            assertThat(volumes).doesNotContain(guest + ".qcow2");
            assertThat(guestDir.resolve(guest + "-serial.log")).doesNotExist();
            assertThat(Path.of(Provisioner.LIBVIRT_QEMU_LOGS, guest + ".log")).doesNotExist();
        }
    }

    /** The volumes of pool {@value #POOL}, as they are now on disk. */
    static List<String> volumes(LibvirtSession session) throws Exception {
        return session.call("list volumes of pool " + POOL, c -> {
            StoragePool pool = c.storagePoolLookupByName(POOL);
            try {
                pool.refresh(0);
                return List.of(pool.listVolumes());
            } finally {
                pool.free();
            }
        });
    }
}
