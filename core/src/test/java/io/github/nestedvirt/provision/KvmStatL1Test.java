package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.kvmstat.ExitSourcesThere;
import io.github.nestedvirt.kvmstat.KvmStatSettings;
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

            ExitSourcesThere l0Expected = ExitSourcesThere.probe(new LocalHost(), KvmStatSettings.defaults().command());
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
                // what this machine has: on ours, no kvm_stat, no kvm counters in debugfs, tracepoints readable
                assertThat(l0.source()).isEqualTo(l0Expected.source());
                for (int i = 0; i < l0Expected.notePrefixes().size(); i++) {
                    assertThat(l0.notes().get(i)).startsWith(l0Expected.notePrefixes().get(i));
                }
                if (l0Expected.source() != null) {
                    assertThat(l0.seconds()).isPositive();
                }
                // the L1 runs under TCG: KVM on L0 sees none of its work
                switch (String.valueOf(l0Expected.source())) {
                    case "tracefs" -> assertThat(l0.perSecond()).containsEntry("kvm_exit", 0.0);
                    case "debugfs" -> assertThat(l0.perSecond()).containsEntry("exits", 0.0);
                    case "null" -> assertThat(l0.perSecond()).isEmpty();
                    default -> { } // kvm_stat prints the events it saw
                }
            });
            assertThat(Files.readString(outcome.directory().resolve("result.json")))
                    .contains("\"kvmStat\"").contains(l0Expected.source() == null ? "\"notes\""
                            : "\"source\" : \"" + l0Expected.source() + "\"");
        } finally {
            TestGuestImage.deleteTree(guestDir);
        }
    }
}
