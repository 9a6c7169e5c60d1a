package io.github.nestedvirt.provision;

import static io.github.nestedvirt.provision.L1EndToEndTest.PRINT;
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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seed item 6 with nested guests: one TCG L1 of {@link TestHypervisorImage} runs three L2s under its
 * KVM (kvm_amd on its emulated CPU), provisioned in parallel; the plan hashes files in all three at the same moment
 * ({@code together}) and then watches all of them for stability, and the run tears everything down.
 * Needs root and a running libvirtd ({@code scripts/start-libvirt.sh}).
 */
@Tag("libvirt")
class ManyL2sTest {

    private static final int L2S = 3;

    @Test
    void threeL2sInOneL1RunIoAtOnceStayHealthyAndLeaveNothing() throws Exception {
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
        String l1 = TestTopology.uniqueName();
        List<String> l2s = IntStream.rangeClosed(1, L2S).mapToObj(i -> l1 + "-" + i).toList();
        Path dir = TestTopology.guestDirectory("nvmx-test-many-l2-");
        try (LibvirtSession session = LibvirtSession.open(L1EndToEndTest.URI)) {
            Files.writeString(dir.resolve("topology.yaml"),
                    TestTopology.nestedYaml(l1, l2s, TestHypervisorImage.get(), "", dir, true, "2G"));
            Path plan = dir.resolve("many-l2.yaml");
            Files.writeString(plan, """
                    name: many-l2
                    topology: topology.yaml
                    hosts:
                      l0: {level: L0, local: true}
                      l1: {level: L1, guest: %s}
                      l2a: {level: L2, guest: %s}
                      l2b: {level: L2, guest: %s}
                      l2c: {level: L2, guest: %s}
                    benchmarks:
                      - {type: io, together: [l2a, l2b, l2c], paths: [/], warmups: 1, runs: 2, maxRuns: 2}
                      - {type: stability, hosts: [l1, l2a, l2b, l2c], seconds: 40, intervalSeconds: 10, probeTimeoutSeconds: 10}
                    """.formatted(l1, l2s.get(0), l2s.get(1), l2s.get(2)));

            List<String> steps = new CopyOnWriteArrayList<>();
            Progress recorded = Progress.lines(message -> {
                steps.add(message);
                PRINT.info(message);
            });
            long start = System.nanoTime();
            RunOutcome outcome = new PlanRunner(dir.resolve("results"), recorded).run(new PlanReader().read(plan));
            System.out.printf("nvmx run many-l2 (1 L1, %d KVM L2s): %.1f s%n", L2S, (System.nanoTime() - start) / 1e9);
            outcome.run().measurements().forEach(m -> System.out.printf("  %s %s %s %s on %s: %s %s %s%n",
                    m.benchmark(), m.metric(), m.level(), m.variant(), m.host(),
                    m.samples().stream().map(Sample::value).toList(), m.unit(), m.attributes()));

            assertThat(outcome.run().failures()).isEmpty();
            // the L2s came up in parallel: the last one started before the first one was ready
            assertThat(indexOf(steps, l2s.get(L2S - 1) + ": started in ")).as(String.join("\n", steps))
                    .isLessThan(indexOf(steps, l2s.get(0) + ": ready after "));
            List<Measurement> seconds = outcome.run().measurements().stream()
                    .filter(m -> m.benchmark().equals(IoScan.BENCHMARK) && m.metric().equals("seconds")).toList();
            assertThat(seconds).extracting(m -> m.variant().get("guest")).containsExactly("l2a", "l2b", "l2c");
            assertThat(seconds).allSatisfy(m -> {
                assertThat(m.level()).isEqualTo(Level.L2);
                assertThat(m.variant()).containsEntry("together", String.valueOf(L2S));
                assertThat(Arrays.stream(m.values()).boxed().toList()).hasSize(2)
                        .allSatisfy(v -> assertThat(v).isPositive());
                // below each L2: L0 and their one L1, whose KVM runs all three
                assertThat(m.kvmStat()).extracting(e -> e.level()).containsExactly(Level.L0, Level.L1);
                assertThat(m.kvmStat().get(1).perSecond().get("exits")).isPositive();
            });
            assertThat(seconds).extracting(Measurement::host).doesNotHaveDuplicates();

            Measurement healthy = outcome.run().measurements().stream()
                    .filter(m -> m.benchmark().equals("stability") && m.metric().equals("healthySeconds")
                            && m.level() == Level.L2).findFirst().orElseThrow();
            // one sample per L2, each healthy for the whole watch
            assertThat(Arrays.stream(healthy.values()).boxed().toList()).hasSize(L2S)
                    .allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(40.0));
            assertThat(healthy.attributes()).containsEntry("healthy", L2S + " of " + L2S);

            assertThat(TopologyRecord.read(outcome.directory()).resources())
                    .allSatisfy(r -> assertThat(r.state()).as(r.toString()).isEqualTo(Resource.State.REMOVED));
            assertThat(session.find(l1)).isEmpty();
        } finally {
            TestGuestImage.deleteTree(dir);
        }
    }

    private static int indexOf(List<String> steps, String start) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError("no step starts with '" + start + "' in:\n" + String.join("\n", steps));
    }
}
