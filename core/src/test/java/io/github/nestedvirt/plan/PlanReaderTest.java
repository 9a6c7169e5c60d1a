package io.github.nestedvirt.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.result.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanReaderTest {

    private final PlanReader reader = new PlanReader();

    @Test
    void readsTheShippedQuickstartPlan() throws Exception {
        Plan plan = reader.read(Path.of("../plans/quickstart.yaml"));

        assertThat(plan.name()).isEqualTo("quickstart");
        assertThat(plan.hosts()).containsOnlyKeys("l0");
        assertThat(plan.hosts().get("l0")).isEqualTo(HostSpec.local(Level.L0));
        assertThat(plan.benchmarks()).extracting(b -> b.getClass().getSimpleName())
                .containsExactly("GuestfishSpec", "IoScanSpec", "KernelBuildSpec", "NetworkSpec");
        GuestfishSpec guestfish = (GuestfishSpec) plan.benchmarks().get(0);
        assertThat(guestfish.host()).isEqualTo("l0");
        assertThat(guestfish.parameters().backendSettings()).isEqualTo("force_tcg");
        assertThat(guestfish.parameters().warmups()).isEqualTo(1);
        assertThat(guestfish.parameters().runs()).isEqualTo(5);
        assertThat(guestfish.parameters().maxRuns()).isEqualTo(10);
        NetworkSpec net = (NetworkSpec) plan.benchmarks().get(3);
        assertThat(net.hostReferences()).containsExactly(Map.entry("server", "l0"), Map.entry("client", "l0"));
    }

    @Test
    void readsTheShippedTestPlanWithEveryLevelOfTheSeed() throws Exception {
        Plan plan = reader.read(Path.of("../plans/nvmx-test-plan.yaml"));

        assertThat(plan.hosts().values()).extracting(HostSpec::level)
                .containsExactly(Level.L0, Level.L1, Level.L2, Level.L2);
        assertThat(plan.hosts().get("l2").ssh().via()).isEqualTo("l1");
        assertThat(plan.benchmarks()).extracting(BenchmarkSpec::type)
                .contains("kvm-unit-tests", "kernel", "io", "net", "guestfish", "stability");
        assertThat(plan.kvmStat().capture()).isTrue();
        assertThat(plan.matrix()).isNull();
        assertThat(plan.benchmarks()).filteredOn(b -> b instanceof KernelBuildSpec)
                .extracting(b -> b.hostReferences().get("host")).containsExactly("l0", "l1", "l2");
        // seed item 1, "multiple nested guests": kernel builds in both L2s at once
        assertThat(plan.benchmarks()).filteredOn(b -> b instanceof TogetherSpec).singleElement()
                .satisfies(b -> {
                    assertThat(b.type()).isEqualTo("kernel");
                    assertThat(((TogetherSpec) b).hosts()).containsExactly("l2", "l2b");
                });
    }

    @Test
    void togetherRunsOneEntryInSeveralHostsWithTheSameSettings() throws Exception {
        Plan plan = reader.read("""
                name: together
                hosts:
                  l1: {level: L1, ssh: {host: 192.0.2.10}}
                  l2a: {level: L2, ssh: {host: 192.168.122.20, via: l1}}
                  l2b: {level: L2, ssh: {host: 192.168.122.21, via: l1}}
                benchmarks:
                  - {type: kernel, together: [l2a, l2b], source: /srv/linux.tar.xz, runs: 2}
                  - {type: io, together: [l2a, l2b], paths: [/usr]}
                  - {type: guestfish, together: [l2a, l2b]}
                """, "together.yaml");

        TogetherSpec kernel = (TogetherSpec) plan.benchmarks().get(0);
        assertThat(kernel.hosts()).containsExactly("l2a", "l2b");
        assertThat(kernel.hostReferences()).containsExactly(Map.entry("together[0]", "l2a"),
                Map.entry("together[1]", "l2b"));
        assertThat(kernel.each()).extracting(b -> ((KernelBuildSpec) b).parameters().runs()).containsExactly(2, 2);
        assertThat(((IoScanSpec) ((TogetherSpec) plan.benchmarks().get(1)).each().get(1)).parameters().paths())
                .containsExactly("/usr");
        assertThat(plan.benchmarks().get(2).type()).isEqualTo("guestfish");
    }

    @Test
    void aTogetherMistakeNamesTheEntryAndWhatToDo() {
        String hosts = """
                name: t
                hosts:
                  l0: {level: L0, local: true}
                  l1: {level: L1, ssh: {host: 192.0.2.10}}
                  l2a: {level: L2, ssh: {host: 192.168.122.20, via: l1}}
                benchmarks:
                """;
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: io, host: l1, together: [l1, l2a]}\n", "t.yaml"))
                .hasMessageContaining("t.yaml:7")
                .hasMessageContaining("give either 'host' (one host) or 'together' (several hosts at once), not both");
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: kernel, together: [l2a], source: /srv/l.tar}\n",
                "t.yaml"))
                .hasMessageContaining("t.yaml:7")
                .hasMessageContaining("together: names 1 host; list two or more to run the benchmark in them at once,"
                        + " or use 'host: l2a'");
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: io, together: [l2a, l2a]}\n", "t.yaml"))
                .hasMessageContaining("together[1]: host 'l2a' is listed twice");
        assertThatThrownBy(() -> reader.read(hosts
                + "  - {type: net, server: l0, client: l1, address: 192.0.2.1, together: [l1, l2a]}\n", "t.yaml"))
                .hasMessageContaining("t.yaml:7")
                .hasMessageContaining("together: a 'net' entry cannot run in several hosts at once (it has a server"
                        + " and a client); 'together' works with guestfish, io, kernel");
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: io, together: [l2a, l2c]}\n", "t.yaml"))
                .hasMessage("t.yaml: benchmarks[0].together[1]: no host 'l2c' in this plan; known hosts: l0, l1, l2a");
        assertThatThrownBy(() -> reader.read(hosts + "  - {type: io, together: [l1, l2a]}\n", "t.yaml"))
                .hasMessage("t.yaml: benchmarks[0].together: its hosts are measured as one level, but they are at"
                        + " several: l1 (L1), l2a (L2); list hosts of one level (or make one entry per level)");
    }

    @Test
    void readsTheShippedMatrixPlanWithEveryCellOfSeedItemsOneAndTwo() throws Exception {
        Plan plan = reader.read(Path.of("../plans/nvmx-mmu-matrix.yaml"));

        assertThat(plan.matrix().cells()).extracting(PlanMatrix.Cell::toString).containsExactly(
                "mmu=shadow-on-shadow, vmcsShadowing=on", "mmu=shadow-on-shadow, vmcsShadowing=off",
                "mmu=shadow-on-ept, vmcsShadowing=on", "mmu=shadow-on-ept, vmcsShadowing=off",
                "mmu=ept-on-ept, vmcsShadowing=on", "mmu=ept-on-ept, vmcsShadowing=off");
        assertThat(plan.matrix().cells().get(2).l0Parameters()).containsExactly(
                java.util.Map.entry("ept", "1"), java.util.Map.entry("enable_shadow_vmcs", "1"));
        assertThat(plan.matrix().cells().get(3).l1Parameters()).containsExactly(java.util.Map.entry("ept", "0"));
        assertThat(plan.matrix().cells().get(0).l1Parameters()).isEmpty();
        assertThat(plan.matrix().force()).isFalse();
    }

    @Test
    void aMatrixOrKvmStatMistakeNamesTheLineAndTheKey() {
        assertThatThrownBy(() -> reader.read("""
                name: m
                hosts: {l0: {level: L0, local: true}}
                matrix: {mmu: [shadow-on-shadow, nested-ept]}
                benchmarks: []
                """, "m.yaml"))
                .hasMessageContaining("m.yaml:3")
                .hasMessageContaining("mmu: must be one of shadow-on-shadow, shadow-on-ept, ept-on-ept, got 'nested-ept'");
        assertThatThrownBy(() -> reader.read("""
                name: m
                hosts: {l0: {level: L0, local: true}}
                kvmStat: {capture: true, interval: 2}
                benchmarks: []
                """, "m.yaml"))
                .hasMessageContaining("m.yaml:3")
                .hasMessageContaining("unknown key 'interval'");
        assertThatThrownBy(() -> reader.read("""
                name: m
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - {type: kvm-unit-tests, host: l0, source: kvm-unit-tests.tar.gz}
                """, "m.yaml"))
                .hasMessageContaining("m.yaml:4")
                .hasMessageContaining("source: must be a git or http(s) URL or an absolute path, got 'kvm-unit-tests.tar.gz'");
    }

    @Test
    void readsTheShippedNestedSmokePlanWithItsTopologyAndAPartialKernelBuild() throws Exception {
        Plan plan = reader.read(Path.of("../plans/tcg-nested-smoke.yaml"));

        assertThat(Path.of(plan.topology())).isRegularFile();
        assertThat(plan.hosts().values()).extracting(HostSpec::guest).containsExactly(null, "nvmx-tcg-hv", "nvmx-tcg-l2");
        assertThat(plan.benchmarks()).extracting(BenchmarkSpec::type)
                .containsExactly("io", "io", "io", "net", "net", "net", "net", "net", "kernel", "guestfish", "guestfish");
        // netperf from the L1 to L0: stream and request/response
        assertThat(plan.benchmarks().subList(4, 6)).extracting(b -> ((NetworkSpec) b).parameters())
                .extracting(NetworkThroughput.Parameters::tool, NetworkThroughput.Parameters::test)
                .containsExactly(tuple(NetworkThroughput.Tool.NETPERF, NetworkThroughput.Test.STREAM),
                        tuple(NetworkThroughput.Tool.NETPERF, NetworkThroughput.Test.RR));
        assertThat(plan.benchmarks().subList(4, 6)).extracting(BenchmarkSpec::hostReferences)
                .containsOnly(Map.of("server", "l0", "client", "l1"));
        // iperf3 with its client in L2: to the L1 and to L0
        assertThat(plan.benchmarks().subList(6, 8)).extracting(BenchmarkSpec::hostReferences).containsExactly(
                Map.of("server", "l1", "client", "l2"), Map.of("server", "l0", "client", "l2"));
        KernelBuild.Parameters kernel = ((KernelBuildSpec) plan.benchmarks().get(8)).parameters();
        assertThat(kernel.targets()).containsExactly("prepare");
        assertThat(kernel.config()).isEqualTo("tinyconfig");
        // L0 and L1 launch the same fixed appliance, so that their launches are compared
        GuestfishSpec l0 = (GuestfishSpec) plan.benchmarks().get(9);
        GuestfishSpec l1 = (GuestfishSpec) plan.benchmarks().get(10);
        assertThat(List.of(l0.host(), l1.host())).containsExactly("l0", "l1");
        assertThat(l1.parameters().appliance()).isEqualTo(l0.parameters().appliance())
                .isEqualTo("/srv/nvmx/guestfs-appliance");
        assertThat(l1.parameters().warmups()).isEqualTo(1);
    }

    @Test
    void appliesTheSeedDefaults() throws Exception {
        Plan plan = reader.read("""
                name: defaults
                hosts:
                  l0: {level: L0, local: true}
                  l1: {level: L1, ssh: {host: 192.0.2.10}}
                benchmarks:
                  - {type: guestfish, host: l1}
                  - {type: io, host: l1}
                  - {type: kernel, host: l1, source: /srv/linux.tar.xz}
                  - {type: net, server: l0, client: l1, address: 192.0.2.1}
                """, "defaults.yaml");

        SshSpec ssh = plan.hosts().get("l1").ssh();
        assertThat(ssh.port()).isEqualTo(22);
        assertThat(ssh.user()).isEqualTo("root");
        assertThat(ssh.acceptNewHostKey()).isFalse();
        GuestfishLaunch.Parameters guestfish = ((GuestfishSpec) plan.benchmarks().get(0)).parameters();
        assertThat(guestfish).isEqualTo(new GuestfishLaunch.Parameters(1, 10, 20, null, null, null, Duration.ofMinutes(10), 0));
        IoScan.Parameters io = ((IoScanSpec) plan.benchmarks().get(1)).parameters();
        assertThat(io.paths()).isEqualTo(List.of("/"));
        assertThat(io.xdev()).isTrue();
        KernelBuild.Parameters kernel = ((KernelBuildSpec) plan.benchmarks().get(2)).parameters();
        assertThat(kernel.config()).isEqualTo("defconfig");
        assertThat(kernel.debugOff()).isTrue();
        assertThat(kernel.jobs()).isZero();
        NetworkThroughput.Parameters net = ((NetworkSpec) plan.benchmarks().get(3)).parameters();
        assertThat(net.tool()).isEqualTo(NetworkThroughput.Tool.IPERF3);
        assertThat(net.test()).isEqualTo(NetworkThroughput.Test.STREAM);
        assertThat(net.seconds()).isEqualTo(10);
    }

    @Test
    void misspelledKeyIsNamedWithFileAndLine() {
        assertThatThrownBy(() -> reader.read("""
                name: typo
                hosts:
                  l0: {level: L0, local: true}
                benchmarks:
                  - type: kernel
                    host: l0
                    source: /srv/linux.tar.xz
                    rusn: 3
                """, "typo.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessageStartingWith("typo.yaml:8:5: benchmarks[0]: unknown key 'rusn'; known keys: ")
                .hasMessageContaining("maxRuns, prepareTimeoutMinutes, runs, source");
    }

    @Test
    void unknownBenchmarkTypeListsTheKnownOnes() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - {type: kernal, host: l0}
                """, "t.yaml"))
                .hasMessageStartingWith("t.yaml:4:")
                .hasMessageContaining("benchmarks[0]: unknown benchmark type 'kernal'")
                .hasMessageContaining("guestfish, io, kernel, kvm-unit-tests, net");
    }

    @Test
    void invalidValueNamesTheFieldAndTheLine() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - type: guestfish
                    host: l0
                    runs: 0
                """, "t.yaml"))
                .hasMessageStartingWith("t.yaml:4:")
                .hasMessageContaining("benchmarks[0]")
                .hasMessageContaining("runs: must be at least 1");
    }

    @Test
    void unknownEnumValueOfABenchmarkNamesTheKey() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - {type: net, server: l0, client: l0, address: 127.0.0.1, tool: iperf2}
                """, "t.yaml"))
                .hasMessageStartingWith("t.yaml:4:")
                .hasMessageContaining("tool: must be one of [iperf3, netperf], got 'iperf2'");
    }

    @Test
    void wrongLevelListsTheAllowedOnes() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l3: {level: L3, local: true}}
                benchmarks: []
                """, "t.yaml"))
                .hasMessageStartingWith("t.yaml:2:")
                .hasMessageContaining("hosts.l3.level")
                .hasMessageContaining("'L3'")
                .hasMessageContaining("[L0, L1, L2]");
    }

    @Test
    void benchmarkOnAnUnknownHostIsRefused() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - {type: io, host: l1}
                """, "t.yaml"))
                .hasMessage("t.yaml: benchmarks[0].host: no host 'l1' in this plan; known hosts: l0");
    }

    @Test
    void loopingJumpChainIsRefused() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts:
                  a: {level: L1, ssh: {host: a.example, via: b}}
                  b: {level: L2, ssh: {host: b.example, via: a}}
                benchmarks: []
                """, "t.yaml"))
                .hasMessageContaining("jump chain loops");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - {type: net, server: l0, client: l0}
                """, "t.yaml"))
                .hasMessageStartingWith("t.yaml:4:")
                .hasMessageContaining("benchmarks[0]")
                .hasMessageContaining("address");
    }

    @Test
    void benchmarkWithoutHostIsNamed() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - {type: io, paths: [/usr]}
                """, "t.yaml"))
                .hasMessageStartingWith("t.yaml:4:")
                .hasMessageContaining("missing required key 'host'");
    }

    @Test
    void hostNeedsEitherLocalOrSsh() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l0: {level: L0}}
                benchmarks: []
                """, "t.yaml"))
                .hasMessageContaining("hosts.l0")
                .hasMessageContaining("give exactly one of 'local: true', an 'ssh' section or 'guest: NAME'");
    }

    @Test
    void guestHostNeedsATopology() {
        assertThatThrownBy(() -> reader.read("""
                name: t
                hosts: {l1: {level: L1, guest: vm1}}
                benchmarks: []
                """, "t.yaml"))
                .hasMessage("t.yaml: hosts.l1.guest: the plan has no 'topology' to provision 'vm1' from; "
                        + "add 'topology: FILE'");
    }

    @Test
    void topologyIsResolvedAgainstThePlansDirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.yaml");
        java.nio.file.Files.writeString(plan, """
                name: t
                topology: guests/topology.yaml
                hosts: {l1: {level: L1, guest: vm1}}
                benchmarks: []
                """);

        assertThat(reader.read(plan).topology()).isEqualTo(dir.resolve("guests/topology.yaml").toString());
    }

    @Test
    void missingFileIsReportedWithItsPath() {
        assertThatThrownBy(() -> reader.read(Path.of("no/such/plan.yaml")))
                .hasMessageStartingWith("no/such/plan.yaml: cannot read the plan");
    }
}
