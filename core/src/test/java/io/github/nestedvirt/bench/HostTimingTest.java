package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.nestedvirt.host.CommandResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostTimingTest {

    @Test
    void readsTheLastMarkerLine() {
        HostTiming.Timing timing = HostTiming.parse("""
                some output
                NVMX_TIME 1700000000.250000000 1700000012.750000000 0
                """);

        assertThat(timing.seconds()).isCloseTo(12.5, within(1e-6));
        assertThat(timing.exitStatus()).isZero();
    }

    @Test
    void readsUptimeFallbackAndExitStatus() {
        HostTiming.Timing timing = HostTiming.parse("partial lineNVMX_TIME x\n\nNVMX_TIME 512.30 515.05 2\n");

        assertThat(timing.seconds()).isCloseTo(2.75, within(1e-6));
        assertThat(timing.exitStatus()).isEqualTo(2);
    }

    @Test
    void refusesOutputWithoutMarker() {
        assertThatThrownBy(() -> HostTiming.parse("hello\n")).hasMessageContaining("no timing line");
        assertThatThrownBy(() -> HostTiming.parse("NVMX_TIME 1.0 %N 0\n")).hasMessageContaining("malformed");
    }

    @Test
    void aShellKilledBeforeItsMarkerIsReportedWithItsExitStatusAndErrorOutput() throws Exception {
        try (TestLocalHost host = new TestLocalHost()) {
            // $$ is the wrapping shell, so nothing prints the marker: as when the OOM killer ends it
            CommandResult result = host.run(HostTiming.wrap("echo 'appliance starting' >&2; kill -9 $$"),
                    Duration.ofSeconds(30));

            assertThatThrownBy(() -> HostTiming.parse(result, host.name(), "guestfish launch 2"))
                    .isInstanceOf(BenchmarkFailedException.class)
                    .hasMessageStartingWith(host.name() + ": guestfish launch 2 ended without its timing line after ")
                    .hasMessageContaining("its shell exited with status 137")
                    .hasMessageEndingWith("appliance starting");
        }
    }

    @Test
    void aCommandEndedByASignalSaysSo() {
        // what SshHost returns when sshd reports an exit signal instead of a status: -1, no marker
        // (a session that drops under a command is an exception of SshHost's own, see SshHostTest)
        CommandResult ended = new CommandResult("guestfish -a /dev/null run", -1, "", "", Duration.ofSeconds(190));

        assertThatThrownBy(() -> HostTiming.parse(ended, "root@l1:22", "guestfish launch 1"))
                .hasMessageStartingWith("root@l1:22: guestfish launch 1 ended without its timing line after 190 s: "
                        + "it has no exit status: sshd reported it ended by a signal");
    }

    @Test
    void timesARealCommandOnTheHostWithDash() throws Exception {
        try (TestLocalHost host = new TestLocalHost()) {
            CommandResult result = host.run(HostTiming.wrap("echo -n partial; sleep 0.3; exit 3"),
                    Duration.ofSeconds(10));

            HostTiming.Timing timing = HostTiming.parse(result.stdout());
            assertThat(timing.seconds()).isBetween(0.29, 2.0);
            assertThat(timing.exitStatus()).isEqualTo(3);
        }
    }

    @Test
    void timesARealCommandWithBusyboxDateFallingBackToUptime() throws Exception {
        try (TestLocalHost host = new TestLocalHost()) {
            // busybox date prints %N literally: the wrapper must notice and use /proc/uptime
            String busyboxDate = "date() { busybox date \"$@\"; }; ";
            CommandResult result = host.run(busyboxDate + HostTiming.wrap("sleep 0.5"), Duration.ofSeconds(10));

            assertThat(HostTiming.parse(result.stdout()).seconds()).isBetween(0.45, 2.0);
        }
    }
}
