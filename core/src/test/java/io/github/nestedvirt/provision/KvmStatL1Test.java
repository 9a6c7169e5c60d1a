package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.plan.PlanReader;
import io.github.nestedvirt.plan.PlanRunner;
import io.github.nestedvirt.plan.RunOutcome;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kvm_stat capture in a real plan run: a TCG L1 provisioned on this machine runs an I/O scan while L0
 * (this machine) counts its KVM events. Every measurement carries L0's record: the source that works
 * here, and why the others do not. Needs root and a running libvirtd ({@code scripts/start-libvirt.sh}).
 */
@Tag("libvirt")
class KvmStatL1Test {

    @Test
    void anL1RunCarriesWhatL0sKvmDidMeanwhile() throws Exception {
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
        String name = L1EndToEndTest.PREFIX + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path guestDir = Files.createTempDirectory("nvmx-test-kvmstat-");
        Files.setPosixFilePermissions(guestDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Files.writeString(guestDir.resolve("topology.yaml"),
                    TestTopology.yaml(List.of(name), TestGuestImage.get(), "", guestDir));
            Path plan = Files.writeString(guestDir.resolve("plan.yaml"), """
                    name: l1-kvmstat
                    topology: topology.yaml
                    hosts:
                      l0: {level: L0, local: true}
                      l1: {level: L1, guest: %s}
                    benchmarks:
                      - {type: io, host: l1, paths: [/bin], warmups: 0, runs: 2, maxRuns: 2}
                    """.formatted(name));

            RunOutcome outcome = new PlanRunner(guestDir.resolve("results"), Progress.NONE)
                    .run(new PlanReader().read(plan));

            Run run = outcome.run();
            assertThat(run.failures()).isEmpty();
            assertThat(run.measurements()).hasSize(2).allSatisfy(m -> {
                assertThat(m.level()).isEqualTo(Level.L1);
                HypervisorExits l0 = m.kvmStat().get(0);
                assertThat(m.kvmStat()).hasSize(1);
                assertThat(l0.level()).isEqualTo(Level.L0);
                assertThat(l0.host()).isEqualTo("local");
                // on our machines: no kvm_stat, debugfs counters refused even to root, tracepoints readable
                assertThat(l0.notes()).startsWith("kvm_stat: not installed (/bin/sh: 1: exec: kvm_stat: not found)",
                        "debugfs: cat: /sys/kernel/debug/kvm/exits: Operation not permitted");
                assertThat(l0.source()).isEqualTo("tracefs");
                assertThat(l0.seconds()).isPositive();
                // the L1 runs under TCG: KVM on L0 sees none of its work
                assertThat(l0.perSecond()).containsEntry("kvm_exit", 0.0);
            });
            assertThat(Files.readString(outcome.directory().resolve("result.json")))
                    .contains("\"kvmStat\"").contains("\"source\" : \"tracefs\"");
        } finally {
            TestGuestImage.deleteTree(guestDir);
        }
    }
}
