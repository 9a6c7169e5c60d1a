package io.github.nestedvirt.stability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sequences of probe outputs (busybox and util-linux {@code dmesg -r}) and what a guest's record makes of them. */
class GuestHealthTest {

    private static final Instant START = Instant.parse("2026-01-10T08:00:00Z");

    private final GuestHealth guest = new GuestHealth("l1a", Level.L1, "root@192.168.122.10", START);

    @Test
    void newErrLinesAreCountedAndShownButLeaveTheGuestHealthy() {
        guest.answered(at(0), reading("busybox-baseline.txt"));
        guest.answered(at(5), reading("busybox-later.txt"));

        GuestStability result = guest.result();
        // the ACPI error was there before the run: the first probe is the baseline
        assertThat(result.kernelErrors()).isEqualTo(1);
        assertThat(result.kernelErrorLines()).containsExactly("<3>[   15.310004] blk_update_request: I/O error, "
                + "dev vda, sector 2048 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2");
        assertThat(result.healthy()).isTrue();
        assertThat(result.healthySeconds()).isEqualTo(5.0);
        assertThat(result.probesOk()).isEqualTo(2);
        assertThat(result.firstFailure()).isNull();
    }

    @Test
    void aSoftLockupMakesTheGuestUnhealthyAtThatProbe() {
        guest.answered(at(0), reading("busybox-baseline.txt"));
        guest.answered(at(30), reading("busybox-later.txt"));
        guest.answered(at(60), reading("util-linux-oops.txt"));

        GuestStability result = guest.result();
        assertThat(result.healthy()).isFalse();
        assertThat(result.healthySeconds()).isEqualTo(30.0);
        assertThat(result.firstFailure()).isEqualTo(new GuestStability.Failure(at(60), 60.0,
                "kernel error: <0>[   61.870456] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [kworker/1:2:143]"));
        // blk_update_request (err), the BUG (emerg) and the Call Trace line; not the <30> systemd line (info)
        assertThat(result.kernelErrors()).isEqualTo(3);
        assertThat(result.kernelErrorLines()).hasSize(3).last().asString().endsWith("Call Trace:");
        assertThat(result.reboots()).isZero();
    }

    @Test
    void uptimeGoingDownIsAReboot() {
        guest.answered(at(0), reading("busybox-later.txt"));
        guest.answered(at(10), reading("rebooted.txt"));

        GuestStability result = guest.result();
        assertThat(result.reboots()).isEqualTo(1);
        assertThat(result.firstFailure().reason()).isEqualTo("rebooted: uptime went down from 18 s to 4 s");
        assertThat(result.healthySeconds()).isZero();
        // panic=1 on the command line of the new boot is not a panic
        assertThat(result.kernelErrors()).isZero();
    }

    @Test
    void aGuestThatStopsAnsweringIsUnhealthyFromItsFirstMissedProbeEvenIfItAnswersAgain() {
        guest.answered(at(0), reading("busybox-baseline.txt"));
        guest.answered(at(5), reading("busybox-baseline.txt"));
        guest.failed(at(10), "no answer within 5 s");
        guest.answered(at(15), reading("busybox-later.txt"));

        GuestStability result = guest.result();
        assertThat(result.healthy()).isFalse();
        assertThat(result.healthySeconds()).isEqualTo(5.0);
        assertThat(result.lastHealthy()).isEqualTo(at(5));
        assertThat(result.lastAnswer()).isEqualTo(at(15));
        assertThat(result.firstFailure()).isEqualTo(new GuestStability.Failure(at(10), 10.0, "no answer within 5 s"));
        assertThat(result.probesOk()).isEqualTo(3);
        assertThat(result.probesFailed()).isEqualTo(1);
    }

    @Test
    void aGuestThatNeverAnsweredWasNeverHealthy() {
        guest.failed(at(0), "cannot connect");

        assertThat(guest.result().healthy()).isFalse();
        assertThat(guest.result().healthySeconds()).isZero();
        assertThat(guest.result().lastAnswer()).isNull();
    }

    @Test
    void anUnreadableKernelLogIsANoteNotAFailure() {
        guest.answered(at(0), reading("dmesg-restricted.txt"));
        guest.answered(at(5), reading("dmesg-restricted.txt"));

        assertThat(guest.result().healthy()).isTrue();
        assertThat(guest.result().notes())
                .containsExactly("dmesg failed: dmesg: read kernel buffer failed: Operation not permitted");
    }

    @Test
    void controlCharactersInKernelLinesAreEscaped() {
        guest.answered(at(0), reading("busybox-baseline.txt"));
        guest.answered(at(5), reading("control-characters.txt"));

        assertThat(guest.result().kernelErrorLines()).containsExactly("<3>[   85.000001] evil\\x1b[2J\\x07 line");
    }

    @Test
    void outputThatIsNotTheProbesIsRefused() {
        assertThatThrownBy(() -> ProbeOutput.parse("sh: dmesg: not found\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no uptime in the probe's output (is /proc mounted?): sh: dmesg: not found");
    }

    @Test
    void measurementsHaveOneSamplePerGuestOfEachLevel() {
        GuestHealth other = new GuestHealth("l1b", Level.L1, "root@192.168.122.11", START);
        GuestHealth nested = new GuestHealth("l2a", Level.L2, "root@192.168.100.20", START);
        for (GuestHealth each : List.of(guest, other, nested)) {
            each.answered(at(0), reading("busybox-baseline.txt"));
        }
        guest.answered(at(20), reading("busybox-later.txt"));
        other.failed(at(20), "no answer within 5 s");
        nested.answered(at(20), reading("busybox-baseline.txt"));
        StabilityReport report = new StabilityReport(START, at(21), 20, 10, 5, List.of(0.4, 0.5, 0.6), false,
                List.of(guest.result(), other.result(), nested.result()));

        List<Measurement> measurements = report.measurements();

        assertThat(measurements).extracting(Measurement::key).containsExactly(
                "stability/healthySeconds@L1,seconds=20", "stability/probeFailures@L1,seconds=20",
                "stability/reboots@L1,seconds=20", "stability/kernelErrors@L1,seconds=20",
                "stability/healthySeconds@L2,seconds=20", "stability/probeFailures@L2,seconds=20",
                "stability/reboots@L2,seconds=20", "stability/kernelErrors@L2,seconds=20");
        Measurement healthyL1 = measurements.get(0);
        assertThat(healthyL1.values()).containsExactly(20.0, 0.0);
        assertThat(healthyL1.attributes()).containsEntry("healthy", "1 of 2")
                .containsEntry("firstFailure.l1b", "20.0 s: no answer within 5 s");
        assertThat(measurements.get(1).values()).containsExactly(0.0, 1.0);
        assertThat(measurements.get(3).values()).containsExactly(1.0, 0.0);
        assertThat(report.healthyGuests()).extracting(GuestStability::name).containsExactly("l1a", "l2a");
    }

    private static Instant at(int seconds) {
        return START.plusSeconds(seconds);
    }

    private static ProbeOutput.Reading reading(String fixture) {
        try (InputStream in = GuestHealthTest.class.getResourceAsStream(fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            return ProbeOutput.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
