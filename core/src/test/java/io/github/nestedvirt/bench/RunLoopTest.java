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

    @Test
    void warmupRunsComeFirstAndAreFlagged() throws Exception {
        List<Sample> samples = RunLoop.repeat("task", 2, RunCountPolicy.fixed(3), Progress.NONE, i -> i * 10.0);

        assertThat(samples).containsExactly(Sample.warmup(10), Sample.warmup(20), Sample.of(30), Sample.of(40),
                Sample.of(50));
    }

    @Test
    void unstableSamplesGetMoreRunsUpToTheCap() throws Exception {
        List<Sample> samples = RunLoop.repeat("task", 0, new RunCountPolicy(2, 5, 0.025), Progress.NONE,
                i -> i % 2 == 0 ? 1.0 : 2.0);

        assertThat(samples).hasSize(5);
    }

    @Test
    void progressIsToldBeforeEveryRun() throws Exception {
        List<String> told = new ArrayList<>();
        Progress progress = new Progress() {
            @Override
            public void run(String task, int index, int planned, Duration elapsed) {
                told.add(task + " " + index + "/" + planned);
            }

            @Override
            public void info(String message) {
            }
        };

        RunLoop.repeat("scan", 1, RunCountPolicy.fixed(2), progress, i -> 1.0);

        assertThat(told).containsExactly("scan (warm-up) 1/3", "scan 2/3", "scan 3/3");
    }

    @Test
    void negativeWarmupsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> RunLoop.repeat("t", -1, RunCountPolicy.fixed(1), Progress.NONE, i -> 1.0))
                .hasMessageStartingWith("warmups:");
    }
}
