package io.github.nestedvirt.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.host.SshTestBed;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.stability.StabilityRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code stability} benchmark entry of a plan: read strictly, and run by {@link PlanRunner}. */
class StabilitySpecTest {

    private final PlanReader reader = new PlanReader();

    @Test
    void readsTheHostsAndTheRunsKeys() throws Exception {
        Plan plan = reader.read("""
                name: many
                hosts:
                  l1a: {level: L1, ssh: {host: 192.0.2.10}}
                  l1b: {level: L1, ssh: {host: 192.0.2.11}}
                benchmarks:
                  - {type: stability, hosts: [l1a, l1b], seconds: 300, intervalSeconds: 10, probeTimeoutSeconds: 8}
                  - {type: stability, hosts: [l1b]}
                """, "many.yaml");

        StabilitySpec spec = (StabilitySpec) plan.benchmarks().get(0);
        assertThat(spec.hosts()).containsExactly("l1a", "l1b");
        assertThat(spec.hostReferences()).containsExactly(Map.entry("hosts[0]", "l1a"), Map.entry("hosts[1]", "l1b"));
        assertThat(spec.parameters()).isEqualTo(new StabilityRun.Parameters(300, 10, 8, 8));
        assertThat(((StabilitySpec) plan.benchmarks().get(1)).parameters()).isEqualTo(StabilityRun.Parameters.defaults());
    }

    @Test
    void readsTheShippedStabilityPlan() throws Exception {
        Plan plan = reader.read(Path.of("../plans/stability-seed.yaml"));

        assertThat(plan.topology()).endsWith("topology-seed.yaml");
        StabilitySpec spec = (StabilitySpec) plan.benchmarks().get(0);
        assertThat(spec.hosts()).containsExactly("l1", "l2");
        assertThat(spec.parameters()).isEqualTo(new StabilityRun.Parameters(3600, 30, 20, 8));
    }

    @Test
    void badEntriesNameTheKeyAndTheLine() {
        String hosts = """
                name: bad
                hosts:
                  l1a: {level: L1, ssh: {host: 192.0.2.10}}
                benchmarks:
                """;
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: stability, hosts: [l1a, l1c]}\n", "bad.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessage("bad.yaml: benchmarks[0].hosts[1]: no host 'l1c' in this plan; known hosts: l1a");
        assertThatThrownBy(() -> reader.read(hosts
                + "  - {type: stability, hosts: [l1a], intervalSeconds: 5, probeTimeoutSeconds: 10}\n", "bad.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessageStartingWith("bad.yaml:5:")
                .hasMessageContaining("probeTimeoutSeconds: must be from 1 to intervalSeconds (5)");
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: stability, host: l1a}\n", "bad.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessageStartingWith("bad.yaml:5:")
                .hasMessageContaining("missing required key 'hosts'");
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: stability, hosts: [l1a], secnds: 60}\n", "bad.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("unknown key 'secnds'");
    }

    @Test
    void aPlanWatchesAnL1AndTheL2BehindItEachOnSessionsOfItsOwn(@TempDir Path results) throws Exception {
        try (SshTestBed bed = SshTestBed.start()) {
            Plan plan = reader.read("""
                    name: ssh-stability
                    hosts:
                      l1: {level: L1, ssh: {host: %s, identity: %s, knownHosts: %s}}
                      l2: {level: L2, ssh: {host: %s, identity: %s, knownHosts: %s, via: l1}}
                    benchmarks:
                      - {type: stability, hosts: [l1, l2], seconds: 2, intervalSeconds: 1, probeTimeoutSeconds: 1}
                    """.formatted(bed.l1Address(), bed.ecdsaKey(), bed.knownHosts(),
                    bed.l2Address(), bed.ecdsaKey(), bed.knownHosts()), "ssh.yaml");
            long l1Logins = bed.acceptedLogins("l1");
            long l2Logins = bed.acceptedLogins("l2");

            Run run = new PlanRunner(results, io.github.nestedvirt.bench.Progress.NONE).run(plan).run();

            assertThat(run.failures()).isEmpty();
            assertThat(run.measurements()).extracting(Measurement::key).contains(
                    "stability/healthySeconds@L1,seconds=2", "stability/healthySeconds@L2,seconds=2");
            assertThat(run.measurements()).filteredOn(m -> m.metric().equals("healthySeconds"))
                    .allSatisfy(m -> assertThat(m.attributes()).containsEntry("healthy", "1 of 1"));
            // l1: the shared session (facts) and one per watched host (l1's own, l2's jump); l2: shared and its own
            assertThat(bed.acceptedLogins("l1") - l1Logins).isEqualTo(3);
            assertThat(bed.acceptedLogins("l2") - l2Logins).isEqualTo(2);
        }
    }

    @Test
    void aPlanRunStoresTheStabilityMeasurements(@TempDir Path results) throws Exception {
        Plan plan = reader.read("""
                name: local-stability
                hosts:
                  l0: {level: L0, local: true}
                benchmarks:
                  - {type: stability, hosts: [l0], seconds: 1, intervalSeconds: 1, probeTimeoutSeconds: 1}
                """, "local.yaml");

        Run run = new PlanRunner(results, io.github.nestedvirt.bench.Progress.NONE).run(plan).run();

        assertThat(run.failures()).isEmpty();
        assertThat(run.measurements()).extracting(Measurement::key).containsExactly(
                "stability/healthySeconds@L0,seconds=1", "stability/probeFailures@L0,seconds=1",
                "stability/reboots@L0,seconds=1", "stability/kernelErrors@L0,seconds=1");
        Measurement healthy = run.measurements().get(0);
        assertThat(healthy.level()).isEqualTo(Level.L0);
        assertThat(healthy.values()).hasSize(1);
        assertThat(healthy.values()[0]).isGreaterThanOrEqualTo(1.0);
        assertThat(healthy.attributes()).containsEntry("healthy", "1 of 1").containsEntry("rounds", "2");
        try (var files = Files.list(results)) {
            assertThat(files.toList()).singleElement()
                    .satisfies(dir -> assertThat(Files.readString(dir.resolve("result.json"))).contains("healthySeconds"));
        }
        assertThat(List.of(run.fingerprint().get(0).level())).containsExactly(Level.L0);
    }
}
