package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.stability.GuestStability;
import io.github.nestedvirt.stability.StabilityReport;
import io.github.nestedvirt.stability.StabilityRun;
import io.github.nestedvirt.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seed item 6 for real: two TCG L1s from the {@link Provisioner}, watched by a {@link StabilityRun}
 * (busybox guests: busybox {@code dmesg}, {@code /proc/uptime}); both stay healthy, then one is
 * destroyed through libvirt in the middle of a second run and is reported unhealthy from the
 * first probe after that. Teardown leaves nothing. Needs root and a running libvirtd
 * ({@code scripts/start-libvirt.sh}).
 */
@Tag("libvirt")
class StabilityL1Test {

    private static final Progress PRINT = new Progress() {
        @Override
        public void run(String task, int index, int planned, int cap, Duration elapsed) {
        }

        @Override
        public void info(String message) {
            System.out.println("  " + message);
        }
    };

    @Test
    void twoL1sStayHealthyAndOneDestroyedMidRunIsReportedUnhealthyFromThen() throws Exception {
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
        String prefix = TestTopology.uniqueName();
        List<String> names = List.of(prefix + "-1", prefix + "-2");
        Path guestDir = TestTopology.guestDirectory("nvmx-test-stability-");
        Path runDir = guestDir.resolve("run");
        Topology topology = TestTopology.of(names, TestGuestImage.get(), "", guestDir);
        StabilityReport calm;
        StabilityReport killed;
        AtomicReference<Instant> destroyedAt = new AtomicReference<>();
        try (LibvirtSession session = LibvirtSession.open(L1EndToEndTest.URI);
                Lifecycle lifecycle = Lifecycle.open(runDir)) {
            ProvisionedTopology provisioned = new Provisioner(Provisioner.Settings.defaults())
                    .provision(topology, lifecycle, PRINT);
            // one connection pool per guest: a guest that hangs must not hold up the other's probes
            try (SshHost first = SshHost.connect(provisioned.sshTarget(names.get(0)));
                    SshHost second = SshHost.connect(provisioned.sshTarget(names.get(1)))) {
                List<StabilityRun.Guest> guests = List.of(new StabilityRun.Guest(names.get(0), Level.L1, first),
                        new StabilityRun.Guest(names.get(1), Level.L1, second));
                calm = new StabilityRun(new StabilityRun.Parameters(20, 5, 5, 2)).run(guests, PRINT);

                // the second run destroys the second guest just before its third round (10 s in)
                Progress killer = new Progress() {
                    @Override
                    public void run(String task, int index, int planned, int cap, Duration elapsed) {
                        if (index == 3) {
                            try (LibvirtDomain domain = session.find(names.get(1)).orElseThrow()) {
                                domain.destroy();
                                destroyedAt.set(Instant.now());
                            } catch (LibvirtFailedException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }

                    @Override
                    public void info(String message) {
                        PRINT.info(message);
                    }
                };
                killed = new StabilityRun(new StabilityRun.Parameters(15, 5, 5, 2)).run(guests, killer);
            }
            assertThat(lifecycle.tearDown().complete()).isTrue();
            for (String name : names) {
                assertThat(session.find(name)).isEmpty();
                assertThat(guestDir.resolve(name + "-serial.log")).doesNotExist();
                assertThat(Path.of(Provisioner.LIBVIRT_QEMU_LOGS, name + ".log")).doesNotExist();
            }
            // domain, volume and two log files per guest, all removed
            assertThat(TopologyRecord.read(runDir).resources()).hasSize(8)
                    .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        } finally {
            TestGuestImage.deleteTree(guestDir);
        }

        System.out.printf("Probe rounds of 2 L1s (TCG): %s s; with one destroyed: %s s%n",
                calm.roundSeconds(), killed.roundSeconds());
        assertThat(calm.interrupted()).isFalse();
        assertThat(calm.guests()).allSatisfy(guest -> {
            assertThat(guest.healthy()).as(guest.toString()).isTrue();
            assertThat(guest.probesOk()).isEqualTo(5);
            assertThat(guest.healthySeconds()).isGreaterThanOrEqualTo(20.0);
            assertThat(guest.kernelErrors()).isZero();
            assertThat(guest.notes()).isEmpty();
        });
        assertThat(java.util.Arrays.stream(calm.measurements().get(0).values()).boxed().toList())
                .hasSize(2).allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(20.0));

        GuestStability alive = killed.guests().get(0);
        GuestStability dead = killed.guests().get(1);
        assertThat(alive.healthy()).as(alive.toString()).isTrue();
        assertThat(alive.probesOk()).isEqualTo(4);
        assertThat(dead.healthy()).isFalse();
        assertThat(dead.probesOk()).isEqualTo(2);
        assertThat(dead.probesFailed()).isEqualTo(2);
        // healthy at the probe before the destroy, failing from the first probe after it
        assertThat(dead.lastHealthy()).isBefore(destroyedAt.get());
        assertThat(dead.firstFailure().reason()).isEqualTo("no answer within 5 s");
        assertThat(dead.firstFailure().at()).isAfter(destroyedAt.get());
        assertThat(dead.healthySeconds()).isGreaterThanOrEqualTo(5.0).isLessThan(dead.firstFailure().secondsIntoRun());
        System.out.println("Destroyed guest: " + dead.firstFailure());
    }
}
