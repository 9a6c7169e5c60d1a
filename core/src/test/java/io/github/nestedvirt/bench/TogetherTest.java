package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.RunCountPolicy;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The start line and the group's figures: hosts wait for each other before every run, agree on the
 * run count, stop together when one fails; the slowest host and the spread come out of the samples.
 * The runs here are plain code (a quick host and a slow one) or a real io scan on this machine; a
 * failure in the middle of a run is simulated. {@code TogetherL1Test} runs it in real guests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a broken start line hangs rather than fails
class TogetherTest {

    /** When each run of one host started and ended, in System.nanoTime. */
    private static final class Runs {
        final List<long[]> spans = Collections.synchronizedList(new ArrayList<>());
    }

    private static Together.Task host(String name, long millisPerRun, Runs runs, RunCountPolicy policy,
            double... values) {
        return (startLine, progress) -> {
            List<Sample> samples = repeat(1, policy, startLine, index -> {
                long start = System.nanoTime();
                Thread.sleep(millisPerRun);
                runs.spans.add(new long[] {start, System.nanoTime()});
                return values[(index - 1) % values.length];
            });
            return List.of(new Measurement("io-scan", "seconds", Level.L2, "root@" + name, Map.of("paths", "/etc"),
                    "s", Better.LOWER, samples, Map.of()));
        };
    }

    /** {@link RunLoop#repeat} with what a benchmark may throw. */
    private static List<Sample> repeat(int warmups, RunCountPolicy policy, StartLine startLine, SampleSupplier run)
            throws HostException, InterruptedException {
        try {
            return RunLoop.repeat("io-scan", warmups, policy, startLine, Progress.NONE, run);
        } catch (HostException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Together.Task> tasks(Together.Task a, Together.Task b) {
        Map<String, Together.Task> tasks = new LinkedHashMap<>();
        tasks.put("l2a", a);
        tasks.put("l2b", b);
        return tasks;
    }

    @Test
    void everyRunStartsWhenTheSlowerHostHasFinishedItsPreviousOne() throws Exception {
        Runs quick = new Runs();
        Runs slow = new Runs();

        Together.run(tasks(host("a", 5, quick, RunCountPolicy.fixed(3), 1.0),
                host("b", 150, slow, RunCountPolicy.fixed(3), 1.0)), Progress.NONE);

        // 1 warm-up + 3 runs each; without the start line the quick host would be done before the slow one's second run
        assertThat(quick.spans).hasSize(4);
        assertThat(slow.spans).hasSize(4);
        for (int run = 1; run < 4; run++) {
            assertThat(quick.spans.get(run)[0]).as("quick host's run %d starts after the slow host's run %d ended",
                    run + 1, run).isGreaterThanOrEqualTo(slow.spans.get(run - 1)[1]);
        }
    }

    @Test
    void allHostsMakeAnotherRunWhileAnyOfThemAsksForOne() throws Exception {
        Runs a = new Runs();
        Runs b = new Runs();
        RunCountPolicy policy = new RunCountPolicy(2, 5, RunCountPolicy.DEFAULT_RSD_THRESHOLD);

        // l2a is stable after 2 runs; l2b varies by 50% and keeps asking up to the cap
        List<Measurement> taken = Together.run(tasks(host("a", 1, a, policy, 10.0),
                host("b", 1, b, policy, 10.0, 10.0, 15.0, 10.0, 15.0, 10.0)), Progress.NONE);

        assertThat(taken.subList(0, 2)).allSatisfy(m -> assertThat(m.values()).hasSize(5));
    }

    @Test
    void eachHostIsItsOwnMeasurementMarkedAsRunTogetherThenTheSlowestAndTheSpread() throws Exception {
        Runs a = new Runs();
        Runs b = new Runs();
        RunCountPolicy two = RunCountPolicy.fixed(2);

        // the warm-up gets the first value, then the runs the next ones
        List<Measurement> taken = Together.run(tasks(host("a", 1, a, two, 9.0, 10.0, 12.0),
                host("b", 1, b, two, 9.0, 11.0, 15.0)), Progress.NONE);

        assertThat(taken).extracting(Measurement::metric)
                .containsExactly("seconds", "seconds", "seconds-slowest", "seconds-spread");
        assertThat(taken.get(0).variant()).containsEntry("together", "2").containsEntry("guest", "l2a")
                .containsEntry("paths", "/etc");
        assertThat(taken.get(1).variant()).containsEntry("guest", "l2b");
        assertThat(taken.get(0).key()).isNotEqualTo(taken.get(1).key());

        Measurement slowest = taken.get(2);
        assertThat(slowest.samples()).containsExactly(Sample.warmup(9.0), Sample.of(11.0), Sample.of(15.0));
        assertThat(slowest.variant()).containsEntry("together", "2").doesNotContainKey("guest");
        assertThat(slowest.level()).isEqualTo(Level.L2);
        assertThat(slowest.attributes()).containsEntry("slowestGuest", "l2b")
                .containsEntry("means", "l2a 11.00 s, l2b 13.00 s");

        Measurement spread = taken.get(3);
        assertThat(spread.unit()).isEqualTo("%");
        assertThat(spread.better()).isEqualTo(Better.LOWER);
        assertThat(spread.values()).containsExactly(10.0, 25.0);
    }

    @Test
    void aHostFailingMidRunSimulatedStopsTheOthersAndIsNamed() {
        Runs a = new Runs();
        Together.Task failing = (startLine, progress) -> {
            repeat(0, RunCountPolicy.fixed(5), startLine, index -> {
                if (index == 2) {
                    throw new BenchmarkFailedException("root@b", "find: /etc: Input/output error");
                }
                return 1.0;
            });
            return List.of();
        };

        assertThatThrownBy(() -> Together.run(tasks(host("a", 1, a, RunCountPolicy.fixed(5), 1.0), failing),
                Progress.NONE))
                .isInstanceOf(BenchmarkFailedException.class)
                .hasMessage("l2a, l2b: l2b failed: root@b: find: /etc: Input/output error (the others stopped with it)");
        // the healthy host made no run after its partner failed in run 2
        assertThat(a.spans).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aHostThatFailsBeforeItsFirstRunReleasesTheOthersWaitingForIt() {
        Runs a = new Runs();
        // a real io scan on this machine, of a directory that does not exist
        Together.Task missingPath = (startLine, progress) -> new IoScan(new IoScan.Parameters(
                List.of("/nonexistent-nvmx-together"), true, false, 0, 3, 3, Duration.ofMinutes(1)), startLine)
                .measure(new LocalHost(), Level.L2, progress);

        assertThatThrownBy(() -> Together.run(tasks(host("a", 1, a, RunCountPolicy.fixed(3), 1.0), missingPath),
                Progress.NONE))
                .hasMessage("l2a, l2b: l2b failed: local: paths: /nonexistent-nvmx-together is not a directory on this"
                        + " host; give existing directories (the others stopped with it)");
        assertThat(a.spans).isEmpty();
    }
}
