package io.github.nestedvirt.stability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.OutputListener;
import io.github.nestedvirt.result.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The stability run against this machine, for a few seconds, with real commands. */
class StabilityRunTest {

    @Test
    void thisMachineStaysHealthyThroughEveryRound() {
        try (LocalHost local = new LocalHost()) {
            StabilityReport report = new StabilityRun(new StabilityRun.Parameters(2, 1, 1, 2))
                    .run(List.of(new StabilityRun.Guest("l0", Level.L0, local)), Progress.NONE);

            assertThat(report.interrupted()).isFalse();
            assertThat(report.roundSeconds()).hasSize(3);
            GuestStability l0 = report.guests().get(0);
            assertThat(l0.healthy()).isTrue();
            assertThat(l0.probesOk()).isEqualTo(3);
            assertThat(l0.probesFailed()).isZero();
            // the last round starts at the planned end, 2 s after the first
            assertThat(l0.healthySeconds()).isGreaterThanOrEqualTo(2.0);
            assertThat(l0.host()).isEqualTo("local");
            System.out.printf("Probe rounds on this machine: %s s%n", report.roundSeconds());
        }
    }

    @Test
    void aGuestThatAnswersTooSlowlyIsUnhealthyWhileTheOtherStaysHealthy() {
        try (LocalHost local = new LocalHost(); Host slow = new Slowed(new LocalHost())) {
            StabilityReport report = new StabilityRun(new StabilityRun.Parameters(1, 1, 1, 2)).run(List.of(
                    new StabilityRun.Guest("fast", Level.L1, local), new StabilityRun.Guest("slow", Level.L1, slow)),
                    Progress.NONE);

            assertThat(report.guests().get(0).healthy()).isTrue();
            GuestStability stuck = report.guests().get(1);
            assertThat(stuck.healthy()).isFalse();
            assertThat(stuck.probesFailed()).isEqualTo(2);
            assertThat(stuck.firstFailure().secondsIntoRun()).as("the first round failed").isLessThan(1.0);
            assertThat(stuck.firstFailure().reason()).isEqualTo("no answer within 1 s");
            // healthySeconds: the fast guest for the whole run (its last round may start late), the slow one never
            double[] healthySeconds = report.measurements().get(0).values();
            assertThat(healthySeconds[0]).isGreaterThanOrEqualTo(1.0);
            assertThat(healthySeconds[1]).isZero();
        }
    }

    @Test
    void anInterruptStopsTheRunAndReturnsWhatWasSeen() throws Exception {
        CountDownLatch secondRound = new CountDownLatch(1);
        Progress progress = new Progress() {
            @Override
            public void run(String task, int index, int planned, int cap, Duration elapsed) {
                if (index == 2) {
                    secondRound.countDown();
                }
            }

            @Override
            public void info(String message) {
            }
        };
        AtomicReference<StabilityReport> report = new AtomicReference<>();
        AtomicBoolean flagSetAgain = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            try (LocalHost local = new LocalHost()) {
                report.set(new StabilityRun(new StabilityRun.Parameters(3600, 1, 1, 1))
                        .run(List.of(new StabilityRun.Guest("l0", Level.L0, local)), progress));
                flagSetAgain.set(Thread.currentThread().isInterrupted());
            }
        });
        runner.start();
        assertThat(secondRound.await(60, TimeUnit.SECONDS)).isTrue();
        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(runner.isAlive()).isFalse();
        assertThat(report.get().interrupted()).isTrue();
        assertThat(report.get().guests().get(0).probesOk()).isBetween(1, 2);
        assertThat(report.get().guests().get(0).healthy()).isTrue();
        assertThat(flagSetAgain).isTrue();
    }

    @Test
    void parametersRefuseATimeoutLongerThanTheInterval() {
        assertThatThrownBy(() -> StabilityRun.Parameters.fromPlan(60, 5, 10, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("probeTimeoutSeconds: must be from 1 to intervalSeconds (5), so that a round ends before "
                        + "the next one starts; got 10");
        assertThat(StabilityRun.Parameters.defaults()).isEqualTo(new StabilityRun.Parameters(600, 30, 20, 8));
        assertThat(StabilityRun.Parameters.fromPlan(25, 5, null, null).rounds()).isEqualTo(6);
    }

    /** This machine, but every command sleeps 3 s first: a guest that answers after the probe timeout. */
    private record Slowed(Host host) implements Host {

        @Override
        public String name() {
            return host.name();
        }

        @Override
        public CommandResult run(String command, Duration timeout, OutputListener listener)
                throws HostException, InterruptedException {
            return host.run("sleep 3; " + command, timeout, listener);
        }

        @Override
        public void upload(Path local, String remotePath) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void download(String remotePath, Path local) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            host.close();
        }
    }
}
