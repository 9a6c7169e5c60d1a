package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness waits without a real guest: libvirt's test driver for the lease wait, a local
 * socket for the port wait, and a serial log fixture for what the errors carry.
 */
class GuestReadinessTest {

    private static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private Path fixture() throws Exception {
        Path log = dir.resolve("serial.log");
        Files.copy(GuestReadinessTest.class.getResourceAsStream("serial-panic.log"), log);
        return log;
    }

    @Test
    void serialTailIsTheLastLinesWithoutCarriageReturns() throws Exception {
        String tail = new SerialLog(fixture()).tail(3);
        assertThat(tail.lines()).containsExactly(
                "[    5.900000] boot message 59",
                "[    6.000000] boot message 60",
                "[    6.100000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");
    }

    @Test
    void aMissingOrEmptySerialLogIsSaidInWords() throws Exception {
        assertThat(new SerialLog(dir.resolve("none.log")).tail(40))
                .isEqualTo("(serial log " + dir.resolve("none.log") + " does not exist: the guest never wrote to its console)");
        Files.writeString(dir.resolve("empty.log"), "");
        assertThat(new SerialLog(dir.resolve("empty.log")).tail(40)).contains("is empty");
    }

    @Test
    void aStoppedDomainFailsTheLeaseWaitAtOnceWithTheSerialTail() throws Exception {
        Path log = fixture();
        String name = "nvmx-readiness-" + UUID.randomUUID().toString().substring(0, 8);
        try (LibvirtSession session = LibvirtSession.open("test:///default");
                LibvirtDomain domain = session.define(LibvirtSessionTest.testDomainXml(name))) {
            try {
                GuestReadiness readiness = new GuestReadiness(name, new SerialLog(log), POLL);
                assertThatThrownBy(() -> readiness.leaseAddress(domain, Duration.ofMinutes(5)))
                        .isInstanceOf(GuestNotReadyException.class)
                        .hasMessageStartingWith(name + ": the domain stopped running before it got an address; "
                                + "last 40 lines of its serial log " + log + ":\n[    2.200000] boot message 22\n")
                        .hasMessageEndingWith("Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)");
            } finally {
                domain.undefine();
            }
        }
    }

    @Test
    void aRunningDomainOnANetworkHasALeaseAddress() throws Exception {
        String name = "nvmx-readiness-" + UUID.randomUUID().toString().substring(0, 8);
        try (LibvirtSession session = LibvirtSession.open("test:///default");
                LibvirtDomain domain = session.define(LibvirtSessionTest.testDomainXml(name))) {
            try {
                domain.start();
                GuestReadiness readiness = new GuestReadiness(name, new SerialLog(fixture()), POLL);
                // The test driver makes up its leases; it is the same call path as a real one.
                assertThat(readiness.leaseAddress(domain, Duration.ofSeconds(10)))
                        .isEqualTo(domain.leaseAddress().orElseThrow());
            } finally {
                domain.destroy();
                domain.undefine();
            }
        }
    }

    @Test
    void aClosedPortTimesOutNamingTheStepAndTheLastReason() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there now
        }
        GuestReadiness readiness = new GuestReadiness("l1", new SerialLog(fixture()), POLL);
        int closed = port;
        assertThatThrownBy(() -> readiness.portOpen("127.0.0.1", closed, Duration.ofMillis(100)))
                .isInstanceOf(GuestNotReadyException.class)
                .hasMessageStartingWith("l1: no TCP port " + closed + " open on 127.0.0.1 within 100 ms (last attempt: ")
                .hasMessageContaining("Connection refused")
                .hasMessageContaining("Kernel panic");
    }

    @Test
    void anOpenPortIsReady() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            GuestReadiness readiness = new GuestReadiness("l1", new SerialLog(fixture()), POLL);
            readiness.portOpen("127.0.0.1", socket.getLocalPort(), Duration.ofSeconds(10));
        }
    }
}
