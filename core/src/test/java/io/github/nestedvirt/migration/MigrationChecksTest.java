package io.github.nestedvirt.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.provision.ProvisionedGuest;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.result.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationChecksTest {

    @Test
    void theMigratedL1AndEveryGuestNestedInItMustAnswerOthersNotAndItsL2Probes() {
        ProvisionedTopology run = new ProvisionedTopology("r1", List.of(guest("a", Level.L1, null),
                guest("b", Level.L1, null), guest("a-l2", Level.L2, "a"), guest("b-l2", Level.L2, "b"),
                guest("a-l2-l3", Level.L2, "a-l2")));

        MigrationBenchmark.Checks checks = MigrationBenchmark.Checks.of(run, "a");

        assertThat(checks.probe()).isEqualTo("a-l2");
        assertThat(checks.verify()).containsExactly("a", "a-l2", "a-l2-l3");
    }

    @Test
    void anL1WithoutL2ProbesItself() {
        ProvisionedTopology run = new ProvisionedTopology("r1", List.of(guest("a", Level.L1, null),
                guest("b-l2", Level.L2, "b"), guest("b", Level.L1, null)));

        MigrationBenchmark.Checks checks = MigrationBenchmark.Checks.of(run, "a");

        assertThat(checks.probe()).isEqualTo("a");
        assertThat(checks.verify()).containsExactly("a");
    }

    private static ProvisionedGuest guest(String name, Level level, String via) {
        return new ProvisionedGuest(name, level, "192.168.122.10", "root", 22, "/k", null, "/kh",
                HostKeyPolicy.STRICT, via, 1.0);
    }
}
