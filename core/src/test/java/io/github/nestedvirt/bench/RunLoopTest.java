package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.result.RunCountPolicy;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLoopTest {

    /** Remembers what was reported, as a user would read it. */
    static final class RecordedProgress implements Progress {
        final List<String> runs = new ArrayList<>();
        final List<Duration> elapsed = new ArrayList<>();
        final List<String> infos = new ArrayList<>();

        @Override
        public void run(String task, int index, int planned, int cap, Duration elapsed) {
            runs.add(task + ": run " + index + " of " + planned + " (max " + cap + ")");
            this.elapsed.add(elapsed);
        }

        @Override
        public void info(String message) {
            infos.add(message);
        }
    }

    private final RecordedProgress progress = new RecordedProgress();

    @Test
    void warmupsFirstThenMinimumRunsWhenStable() throws Exception {
        double[] figures = {90, 60.0, 60.3, 59.9};
        List<Integer> indexes = new ArrayList<>();

        List<Sample> samples = RunLoop.repeat("kernel-build@L1", 1, new RunCountPolicy(3, 12, 0.025), progress,
                i -> {
                    indexes.add(i);
                    return figures[i - 1];
                });

        assertThat(samples).containsExactly(Sample.warmup(90), Sample.of(60.0), Sample.of(60.3), Sample.of(59.9));
        assertThat(indexes).containsExactly(1, 2, 3, 4);
        assertThat(progress.runs).containsExactly(
                "kernel-build@L1 (warm-up): run 1 of 1 (max 1)",
                "kernel-build@L1: run 1 of 3 (max 12)",
                "kernel-build@L1: run 2 of 3 (max 12)",
                "kernel-build@L1: run 3 of 3 (max 12)");
        assertThat(progress.elapsed).allMatch(d -> !d.isNegative());
        // the measured runs' clock starts after the warm-up, so estimates of what is left ignore it
        assertThat(progress.elapsed.subList(1, 4)).isSortedAccordingTo(Duration::compareTo);
        assertThat(progress.infos).isEmpty();
    }

    @Test
    void keepsRunningUntilStable() throws Exception {
        double[] figures = {10.0, 10.6, 10.3, 10.3, 10.3};

        List<Sample> samples = RunLoop.repeat("iperf3", 0, new RunCountPolicy(3, 12, 0.025), progress,
                i -> figures[i - 1]);

        // rsd after 3 runs 2.9%: one more; after 4 runs 2.4%: stable
        assertThat(samples).extracting(Sample::value).containsExactly(10.0, 10.6, 10.3, 10.3);
        assertThat(progress.runs).last().isEqualTo("iperf3: run 4 of 4 (max 12)");
        assertThat(progress.infos).isEmpty();
    }

    @Test
    void stopsAtTheCapAndSaysTheSeriesWasStillUnstable() throws Exception {
        List<Sample> samples = RunLoop.repeat("guestfish-launch@L2", 0, new RunCountPolicy(2, 5, 0.025), progress,
                i -> i % 2 == 0 ? 10.0 : 20.0);

        assertThat(samples).hasSize(5).noneMatch(Sample::warmup);
        assertThat(progress.runs).last().isEqualTo("guestfish-launch@L2: run 5 of 5 (max 5)");
        assertThat(progress.runs.get(2)).isEqualTo("guestfish-launch@L2: run 3 of 3 (max 5)");
        assertThat(progress.infos).singleElement().asString()
                .contains("guestfish-launch@L2", "cap of 5 runs", "2.5%");
    }

    @Test
    void interruptionBetweenRunsStopsBeforeTheNextRun() {
        List<Integer> calls = new ArrayList<>();

        assertThatThrownBy(() -> RunLoop.repeat("t", 0, RunCountPolicy.fixed(5), progress, i -> {
            calls.add(i);
            if (i == 2) {
                Thread.currentThread().interrupt();
            }
            return 1.0;
        })).isInstanceOf(InterruptedException.class);
        assertThat(calls).containsExactly(1, 2);
    }

    @Test
    void interruptedExceptionFromTheRunIsPassedOn() {
        InterruptedException cancel = new InterruptedException("ssh channel closed by cancel");

        assertThatThrownBy(() -> RunLoop.repeat("t", 1, RunCountPolicy.fixed(3), progress, i -> {
            throw cancel;
        })).isSameAs(cancel);
    }

    @Test
    void nonFiniteFigureIsAnErrorNamingTaskAndRun() {
        assertThatThrownBy(() -> RunLoop.repeat("iperf3@L2", 0, RunCountPolicy.fixed(3), progress,
                i -> i == 2 ? Double.NaN : 1.0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("iperf3@L2").hasMessageContaining("run 2").hasMessageContaining("NaN");
    }

    @Test
    void negativeWarmupsAreRefused() {
        assertThatThrownBy(() -> RunLoop.repeat("t", -1, RunCountPolicy.fixed(3), progress, i -> 1.0))
                .hasMessageContaining("warmups");
    }
}
