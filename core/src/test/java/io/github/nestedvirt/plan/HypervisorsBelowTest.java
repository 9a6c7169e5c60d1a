package io.github.nestedvirt.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which plan hosts kvm_stat is captured on for a benchmark: the hypervisors below the level it measures. */
class HypervisorsBelowTest {

    private static Plan plan(String hosts, String benchmark) throws PlanException {
        return new PlanReader().read("name: p\nhosts:\n" + hosts + "benchmarks:\n  - " + benchmark + "\n", "p.yaml");
    }

    @Test
    void anL2RunIsCapturedOnTheL1ItIsReachedThroughAndOnL0() throws Exception {
        Plan plan = plan("""
                  l0: {level: L0, local: true}
                  l1a: {level: L1, ssh: {host: 192.0.2.11}}
                  l1b: {level: L1, ssh: {host: 192.0.2.12}}
                  l2: {level: L2, ssh: {host: 192.168.122.20, via: l1b}}
                """, "{type: io, host: l2}");
        List<HypervisorExits> notes = new ArrayList<>();

        assertThat(PlanRunner.hypervisorsBelow(plan, plan.benchmarks().get(0), notes)).containsExactly("l0", "l1b");
        assertThat(notes).isEmpty();
    }

    @Test
    void aNetworkRunIsCapturedBelowItsClientAndL0RunsBelowNothing() throws Exception {
        Plan plan = plan("""
                  l0: {level: L0, local: true}
                  l1: {level: L1, ssh: {host: 192.0.2.11}}
                """, "{type: net, server: l0, client: l1, address: 192.0.2.1}");
        assertThat(PlanRunner.hypervisorsBelow(plan, plan.benchmarks().get(0), new ArrayList<>())).containsExactly("l0");

        Plan onL0 = plan("  l0: {level: L0, local: true}\n", "{type: io, host: l0}");
        assertThat(PlanRunner.hypervisorsBelow(onL0, onL0.benchmarks().get(0), new ArrayList<>())).isEmpty();
    }

    @Test
    void aLevelWithNoSingleHostIsRecordedAsNotCapturedAndSaysWhatToAdd() throws Exception {
        Plan plan = plan("""
                  l1a: {level: L1, ssh: {host: 192.0.2.11}}
                  l1b: {level: L1, ssh: {host: 192.0.2.12}}
                  l2: {level: L2, ssh: {host: 192.168.122.20}}
                """, "{type: io, host: l2}");
        List<HypervisorExits> notes = new ArrayList<>();

        assertThat(PlanRunner.hypervisorsBelow(plan, plan.benchmarks().get(0), notes)).isEmpty();
        assertThat(notes).extracting(HypervisorExits::level).containsExactly(Level.L1, Level.L0);
        assertThat(notes).extracting(n -> n.notes().get(0)).containsExactly(
                "the plan has several hosts at L1 (l1a, l1b) and l2 is not reached through one: add it (or ssh.via) "
                        + "to capture kvm_stat there",
                "the plan has no host at L0: add it (or ssh.via) to capture kvm_stat there");
    }

    @Test
    void captureCanBeTurnedOff() throws Exception {
        Plan plan = new PlanReader().read("""
                name: p
                kvmStat: {capture: false}
                hosts:
                  l0: {level: L0, local: true}
                  l1: {level: L1, ssh: {host: 192.0.2.11}}
                benchmarks: [{type: io, host: l1}]
                """, "p.yaml");
        assertThat(PlanRunner.hypervisorsBelow(plan, plan.benchmarks().get(0), new ArrayList<>())).isEmpty();
    }
}
