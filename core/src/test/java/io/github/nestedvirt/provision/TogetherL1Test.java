package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.plan.PlanReader;
import io.github.nestedvirt.plan.PlanRunner;
import io.github.nestedvirt.plan.RunOutcome;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A plan entry with {@code together} run for real by the {@link PlanRunner}: two TCG L1s of
 * {@link TestGuestImage} hash their {@code /lib} and {@code /usr} at the same moment, run after run;
 * each L1 keeps its own measurement marked as run together, and the group's slowest and spread come
 * with them. Needs root and a running libvirtd ({@code scripts/start-libvirt.sh}).
 */
@Tag("libvirt")
class TogetherL1Test {

    @Test
    void ioRunsInTwoL1sAtOnceAndEachKeepsItsOwnMeasurement() throws Exception {
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
        String prefix = TestTopology.uniqueName();
        List<String> names = List.of(prefix + "-1", prefix + "-2");
        Path dir = TestTopology.guestDirectory("nvmx-test-together-");
        try (LibvirtSession session = LibvirtSession.open(L1EndToEndTest.URI)) {
            Files.writeString(dir.resolve("topology.yaml"),
                    TestTopology.yaml(names, TestGuestImage.get(), "", dir));
            Path plan = dir.resolve("together.yaml");
            Files.writeString(plan, """
                    name: together
                    topology: topology.yaml
                    hosts:
                      l0: {level: L0, local: true}
                      l1a: {level: L1, guest: %s}
                      l1b: {level: L1, guest: %s}
                    benchmarks:
                      - {type: io, together: [l1a, l1b], paths: [/lib, /usr], warmups: 1, runs: 2, maxRuns: 2}
                    """.formatted(names.get(0), names.get(1)));

            long start = System.nanoTime();
            RunOutcome outcome = new PlanRunner(dir.resolve("results"), PRINT).run(new PlanReader().read(plan));
            System.out.printf("nvmx run together (2 L1s, io together): %.1f s%n", (System.nanoTime() - start) / 1e9);
            outcome.run().measurements().forEach(m -> System.out.printf("  %s %s %s %s on %s: %s %s %s%n",
                    m.benchmark(), m.metric(), m.level(), m.variant(), m.host(),
                    m.samples().stream().map(Sample::value).toList(), m.unit(), m.attributes()));

            assertThat(outcome.run().failures()).isEmpty();
            List<Measurement> seconds = outcome.run().measurements().stream()
                    .filter(m -> m.metric().equals("seconds")).toList();
            assertThat(seconds).hasSize(2).allSatisfy(m -> {
                assertThat(m.benchmark()).isEqualTo(IoScan.BENCHMARK);
                assertThat(m.level()).isEqualTo(Level.L1);
                assertThat(m.variant()).containsEntry("together", "2").containsEntry("paths", "/lib /usr");
                assertThat(m.samples()).hasSize(3).filteredOn(Sample::warmup).hasSize(1);
                assertThat(Arrays.stream(m.values()).boxed().toList()).allSatisfy(v -> assertThat(v).isPositive());
                // the L1 is a busybox image: dropbear, iperf3 and their libraries are megabytes to hash
                assertThat(Long.parseLong(m.attributes().get("bytes"))).isGreaterThan(1_000_000);
                // L0 is below both L1s: captured once, and recorded with each of them
                assertThat(m.kvmStat()).extracting(e -> e.level()).containsExactly(Level.L0);
            });
            assertThat(seconds).extracting(m -> m.variant().get("guest")).containsExactly("l1a", "l1b");
            assertThat(seconds.get(0).host()).isNotEqualTo(seconds.get(1).host());

            Measurement slowest = only(outcome, "seconds-slowest");
            assertThat(slowest.level()).isEqualTo(Level.L1);
            assertThat(slowest.variant()).containsEntry("together", "2").doesNotContainKey("guest");
            for (int run = 0; run < 3; run++) {
                double worst = Math.max(seconds.get(0).samples().get(run).value(), seconds.get(1).samples().get(run).value());
                assertThat(slowest.samples().get(run).value()).isEqualTo(worst);
            }
            assertThat(slowest.attributes().get("slowestGuest")).isIn("l1a", "l1b");
            assertThat(Arrays.stream(only(outcome, "seconds-spread").values()).boxed().toList()).hasSize(2)
                    .allSatisfy(v -> assertThat(v).isNotNegative());
            assertThat(only(outcome, "throughput-slowest").unit()).isEqualTo("MB/s");

            assertThat(TopologyRecord.read(outcome.directory()).resources())
                    .allSatisfy(r -> assertThat(r.state()).as(r.toString()).isEqualTo(Resource.State.REMOVED));
            for (String name : names) {
                assertThat(session.find(name)).isEmpty();
            }
        } finally {
            TestGuestImage.deleteTree(dir);
        }
    }

    private static Measurement only(RunOutcome outcome, String metric) {
        List<Measurement> found = outcome.run().measurements().stream().filter(m -> m.metric().equals(metric)).toList();
        assertThat(found).as(metric).hasSize(1);
        return found.get(0);
    }

    private static final Progress PRINT = new Progress() {
        @Override
        public void run(String task, int index, int planned, int cap, Duration elapsed) {
            System.out.println("  [" + task + "] run " + index + " of " + planned);
        }

        @Override
        public void info(String message) {
            System.out.println("  " + message);
        }
    };
}
