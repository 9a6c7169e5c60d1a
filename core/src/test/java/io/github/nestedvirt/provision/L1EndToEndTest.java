package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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

/**
 * A real L1 under the real libvirtd on this machine: qemu under TCG boots {@link TestGuestImage},
 * gets an address from libvirt's {@code default} network, is reached over SSH with its host key
 * pinned, runs the foundation's {@link IoScan}, and is destroyed and undefined; afterwards no
 * domain and no file of the test is left.
 *
 * <p>Needs root and a running libvirtd with the {@code default} network ({@code scripts/start-libvirt.sh}).
 */
@Tag("libvirt")
class L1EndToEndTest {

    static final String URI = "qemu:///system";
    /** Test domains are {@code nvmx-test-<pid of the JVM>-<random>}, so stale ones can be told apart. */
    static final String PREFIX = "nvmx-test-";
    private static final Pattern TEST_DOMAIN = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-[0-9a-f]+");
    private static final String CONSOLE = "console=tty0 console=ttyS0,115200";

    private LibvirtSession session;
    private String name;
    private Path guestDir;
    private Path serialLog;

    @BeforeAll
    static void removeDomainsOfCrashedRuns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "boots a guest under qemu:///system: run as root");
        assumeTrue(Files.exists(Path.of("/var/run/libvirt/libvirt-sock")),
                "libvirtd is not running (no /var/run/libvirt/libvirt-sock): start it with scripts/start-libvirt.sh");
        try (LibvirtSession libvirt = LibvirtSession.open(URI)) {
            for (String stale : libvirt.domainNames()) {
                Matcher matcher = TEST_DOMAIN.matcher(stale);
                // Only domains whose JVM is gone: another test run may be using its own right now.
                if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                    removeDomain(libvirt, stale);
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
        serialLog = guestDir.resolve("serial.log");
    }

    @AfterEach
    void removeEverything() throws Exception {
        try {
            tearDown();
        } finally {
            session.close();
        }
    }

    @Test
    void bootsGetsALeaseAnswersSshRunsIoScanAndLeavesNothing() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        String xml = TestL1.domainXml(name, image.kernel(), image.initrd(), CONSOLE, serialLog);
        GuestReadiness readiness = new GuestReadiness(name, new SerialLog(serialLog), Duration.ofMillis(250));

        long defined = System.nanoTime();
        List<Measurement> measurements;
        String kernelRelease;
        try (LibvirtDomain domain = session.define(xml)) {
            domain.start();
            String address = readiness.leaseAddress(domain, Duration.ofMinutes(2)).getHostAddress();
            Duration toLease = Duration.ofNanos(System.nanoTime() - defined);
            readiness.portOpen(address, 22, Duration.ofMinutes(1));
            Duration toPort = Duration.ofNanos(System.nanoTime() - defined);
            Path knownHosts = image.knownHostsFor(address, guestDir.resolve("known_hosts"));
            SshTarget target = SshTarget.of("root", address, 22, image.clientKey(), knownHosts);
            try (SshHost l1 = readiness.sshAnswers(target, Duration.ofMinutes(1))) {
                Duration toSsh = Duration.ofNanos(System.nanoTime() - defined);
                System.out.printf("Time to a usable L1 (define -> first SSH command): %.1f s "
                        + "(lease %.1f s, port 22 open %.1f s; address %s)%n", toSsh.toMillis() / 1000.0,
                        toLease.toMillis() / 1000.0, toPort.toMillis() / 1000.0, address);
                kernelRelease = l1.run("uname -r", Duration.ofSeconds(30)).orThrow(l1.name()).stdout().strip();
                IoScan scan = new IoScan(IoScan.Parameters.fromPlan(List.of("/"), true, false, 0, 2, 2, 300));
                measurements = scan.measure(l1, Level.L1, Progress.NONE);
            }
            domain.destroy();
            assertThat(domain.isActive()).isFalse();
            domain.undefine();
        }

        // It really was the L1 we built: the kernel from /boot, and the files we packed.
        assertThat(kernelRelease).isEqualTo(image.kernel().getFileName().toString().substring("vmlinuz-".length()));
        assertThat(Files.readString(serialLog)).contains(TestGuestImage.READY_LINE);
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

        tearDown();
        assertNothingLeft();
    }

    @Test
    void aGuestThatNeverBootsFailsTheAddressWaitWithItsSerialLogAndLeavesNothing() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        // No init: the kernel panics, and panic=-1 reboots at once, which on_reboot=destroy turns into a stop.
        String xml = TestL1.domainXml(name, image.kernel(), image.initrd(),
                CONSOLE + " rdinit=/nonexistent panic=-1", serialLog);
        GuestReadiness readiness = new GuestReadiness(name, new SerialLog(serialLog), Duration.ofMillis(250));

        try (LibvirtDomain domain = session.define(xml)) {
            domain.start();
            assertThatThrownBy(() -> readiness.leaseAddress(domain, Duration.ofMinutes(2)))
                    .isInstanceOf(GuestNotReadyException.class)
                    .hasMessageStartingWith(name + ": ")
                    .hasMessageContaining("last 40 lines of its serial log " + serialLog)
                    .hasMessageContaining("Kernel panic")
                    .satisfies(e -> System.out.println("A guest that never boots: " + e.getMessage()));
            domain.destroy();
            domain.undefine();
        }

        tearDown();
        assertNothingLeft();
    }

    /** Destroys and undefines the domain if it exists, and removes the log libvirt keeps of it. */
    private static void removeDomain(LibvirtSession libvirt, String domainName) throws Exception {
        if (libvirt.find(domainName).isPresent()) {
            try (LibvirtDomain domain = libvirt.find(domainName).get()) {
                domain.destroy();
                domain.undefine();
            }
        }
        // libvirt keeps the qemu command line and stderr of every domain after undefine.
        Files.deleteIfExists(qemuLog(domainName));
    }

    private static Path qemuLog(String domainName) {
        return Path.of("/var/log/libvirt/qemu", domainName + ".log");
    }

    /** Teardown as the engine will do it: domain (idempotent), the guest's directory, libvirt's log of it. */
    private void tearDown() throws Exception {
        removeDomain(session, name);
        TestGuestImage.deleteTree(guestDir);
    }

    private void assertNothingLeft() throws Exception {
        assertThat(session.domainNames()).noneMatch(n -> n.startsWith(name));
        assertThat(guestDir).doesNotExist();
        assertThat(qemuLog(name)).doesNotExist();
    }
}
