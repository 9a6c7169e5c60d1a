package io.github.nestedvirt.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.kvm.KvmModuleException;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans with a {@code matrix} of MMU modes and VMCS shadowing. The refusal on this machine is real
 * (an AMD host without kvm_intel); reloading kvm_intel cannot happen here, so the tests that run cells
 * switch a {@link SimulatedKvmIntel}, and say so in their names. Guests are provisioned on libvirt's
 * test driver ({@code test:///default}).
 */
class PlanMatrixTest {

    private static final String URI = "test:///default";
    private static final Provisioner.Settings QUICK = new Provisioner.Settings(Duration.ofHours(1),
            Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(50), 2);

    @TempDir
    Path dir;

    private Plan plan(String matrix, String topology, String benchmarks) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.txt"), "nested\n");
        Files.writeString(dir.resolve("plan.yaml"), """
                name: matrix
                %s
                hosts:
                  l0: {level: L0, local: true}
                matrix: %s
                benchmarks:
                  %s
                """.formatted(topology, matrix, benchmarks.formatted(dir.resolve("data"))));
        return new PlanReader().read(dir.resolve("plan.yaml"));
    }

    private static final String QUICK_IO = "- {type: io, host: l0, paths: [%s], warmups: 0, runs: 1, maxRuns: 1}";

    private String topology(String name) throws Exception {
        Path identity = Files.writeString(dir.resolve("id_test"), "not read: the test driver's guests never boot\n");
        Files.writeString(dir.resolve("topology.yaml"), """
                l0: {uri: "%s"}
                l1:
                  - name: %s
                    memory: 256M
                    domainType: qemu
                    allowTcg: true
                    network: {network: default}
                    disk: {size: 16M, pool: default-pool, preallocation: none}
                    keyInjection: image
                    serialLog: %s
                    ssh: {identity: %s, knownHosts: %s}
                """.formatted(URI, name, dir.resolve("serial.log"), identity, dir.resolve("known_hosts")));
        return "topology: topology.yaml";
    }

    private static List<String> defined(LibvirtSession driver) throws Exception {
        String[] names = driver.call("list defined domains", org.libvirt.Connect::listDefinedDomains);
        return List.of(names);
    }

    @Test
    void onThisMachineAMatrixIsRefusedBeforeAnythingIsCreatedNamingTheHostAndWhy() throws Exception {
        Plan plan = plan("{mmu: [shadow-on-ept, ept-on-ept], vmcsShadowing: [on, off]}", topology("nvmx-mx-real"),
                QUICK_IO);
        String loaded;
        try (Stream<Path> modules = Files.list(Path.of("/sys/module"))) {
            loaded = modules.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("kvm_")).sorted()
                    .collect(Collectors.joining(", "));
        }
        assumeFalse(Files.isDirectory(Path.of("/sys/module/kvm_intel")),
                "kvm_intel is loaded here: the matrix would run, not be refused");

        assertThatThrownBy(() -> new PlanRunner(dir.resolve("results"), Progress.NONE).run(plan))
                .isInstanceOf(KvmModuleException.class)
                .hasMessage("local: kvm_intel is not loaded (loaded: " + loaded + "): its parameters cannot be read or "
                        + "switched on this host; load it with 'modprobe kvm_intel' on an Intel host");
        assertThat(dir.resolve("results")).as("no run directory, no topology record, no guest").doesNotExist();
        try (LibvirtSession driver = LibvirtSession.open(URI)) {
            assertThat(defined(driver)).doesNotContain("nvmx-mx-real");
        }
    }

    @Test
    void simulatedKvmIntelEveryCellRunsWithItsModeRecordedAndTheOriginalValuesComeBack() throws Exception {
        SimulatedKvmIntel kvmIntel = new SimulatedKvmIntel();
        // force: the guests of other users of this machine's libvirt may run; the simulated reload stops none
        Plan plan = plan("{mmu: [shadow-on-shadow, ept-on-ept], vmcsShadowing: [on, off], force: true}", "",
                QUICK_IO);

        RunOutcome outcome = new PlanRunner(dir.resolve("results"), Progress.NONE, kvmIntel::on,
                Provisioner.Settings.defaults()).run(plan);

        Run run = outcome.run();
        assertThat(run.failures()).isEmpty();
        List<Measurement> seconds = run.measurements().stream().filter(m -> m.metric().equals("seconds")).toList();
        assertThat(seconds).extracting(m -> m.variant().get("mmu") + "/" + m.variant().get("vmcsShadowing"))
                .containsExactly("shadow-on-shadow/on", "shadow-on-shadow/off", "ept-on-ept/on", "ept-on-ept/off");
        assertThat(seconds).extracting(m -> m.attributes().get("kvm_intel.L0"))
                .containsExactly("ept=N enable_shadow_vmcs=Y", "ept=N enable_shadow_vmcs=N",
                        "ept=Y enable_shadow_vmcs=Y", "ept=Y enable_shadow_vmcs=N");
        assertThat(kvmIntel.log).hasSize(5).last().isEqualTo("0: restore {enable_shadow_vmcs=Y, ept=Y}");
        assertThat(kvmIntel.parameters(0)).containsEntry("ept", "Y").containsEntry("enable_shadow_vmcs", "Y");
    }

    @Test
    void simulatedKvmIntelEachL1GetsItsPartOfTheModeAndIsRestoredAtTheEndOfItsCell() throws Exception {
        SimulatedKvmIntel kvmIntel = new SimulatedKvmIntel();
        // this machine stands in for the L1 too: the L1 part of a mode is switched through the plan's L1 host
        Files.writeString(dir.resolve("plan.yaml"), """
                name: matrix-l1
                hosts:
                  l0: {level: L0, local: true}
                  l1: {level: L1, local: true}
                matrix: {mmu: [shadow-on-ept, ept-on-ept, shadow-on-shadow], force: true}
                benchmarks:
                  - {type: io, host: l1, paths: [%s], warmups: 0, runs: 1, maxRuns: 1}
                """.formatted(dir));
        Plan plan = new PlanReader().read(dir.resolve("plan.yaml"));

        Run run = new PlanRunner(dir.resolve("results"), Progress.NONE, kvmIntel::on, QUICK).run(plan).run();

        assertThat(run.failures()).isEmpty();
        assertThat(kvmIntel.log).extracting(line -> line.replaceAll(" while running: .*", "")).containsExactly(
                "0: apply {ept=1}", "1: apply {ept=0}", "1: restore {ept=Y}",
                "0: apply {ept=1}", "2: apply {ept=1}", "2: restore {ept=Y}",
                "0: apply {ept=0}",
                "0: restore {ept=Y}");
        List<Measurement> seconds = run.measurements().stream().filter(m -> m.metric().equals("seconds")).toList();
        assertThat(seconds).extracting(m -> m.variant().get("mmu") + ": " + m.attributes().get("kvm_intel.L0") + ", "
                + m.attributes().get("kvm_intel.l1")).containsExactly("shadow-on-ept: ept=Y, ept=N",
                "ept-on-ept: ept=Y, ept=Y", "shadow-on-shadow: ept=N, null");
        assertThat(seconds).allSatisfy(m -> assertThat(m.kvmStat()).singleElement()
                .satisfies(l0 -> assertThat(l0.level()).isEqualTo(io.github.nestedvirt.result.Level.L0)));
    }

    @Test
    void simulatedKvmIntelOnTheTestDriverGuestsOfOthersStopTheMatrixUnlessForced() throws Exception {
        SimulatedKvmIntel kvmIntel = new SimulatedKvmIntel();
        String guest = "nvmx-mx-" + UUID.randomUUID().toString().substring(0, 8);
        Plan plan = plan("{vmcsShadowing: [off]}", topology(guest), QUICK_IO);

        try (LibvirtSession driver = LibvirtSession.open(URI)) { // keeps the test driver's state alive
            assertThatThrownBy(() -> new PlanRunner(dir.resolve("results"), Progress.NONE, kvmIntel::on, QUICK)
                    .run(plan))
                    .isInstanceOf(KvmModuleException.class)
                    .hasMessage("local: guests this run does not own are running: test; reloading kvm_intel would "
                            + "stop them. Stop them, or force the switch (matrix.force: true) if they may go");
            assertThat(kvmIntel.log).isEmpty();
            assertThat(defined(driver)).doesNotContain(guest);
        }
        try (Stream<Path> runs = Files.list(dir.resolve("results"))) {
            Path runDir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
            assertThat(runDir.resolve("topology.json")).as("nothing was recorded for provisioning").doesNotExist();
            assertThat(Files.readString(runDir.resolve("result.json")))
                    .contains("matrix cell vmcsShadowing=off: switching kvm_intel on L0: local: guests");
        }
    }

    @Test
    void simulatedKvmIntelOnTheTestDriverAFailedCellTearsItsGuestsDownAndRestoresL0() throws Exception {
        SimulatedKvmIntel kvmIntel = new SimulatedKvmIntel();
        String guest = "nvmx-mx-" + UUID.randomUUID().toString().substring(0, 8);
        Plan plan = plan("{mmu: [shadow-on-shadow, shadow-on-ept], force: true}", topology(guest), QUICK_IO);

        try (LibvirtSession driver = LibvirtSession.open(URI)) {
            // the test driver gives no DHCP lease: the first cell's guest never gets an address
            assertThatThrownBy(() -> new PlanRunner(dir.resolve("results"), Progress.NONE, kvmIntel::on, QUICK)
                    .run(plan)).hasMessageContaining(guest);

            assertThat(kvmIntel.log).containsExactly("0: apply {ept=0} while running: [][test]", "0: restore {ept=Y}");
            assertThat(defined(driver)).doesNotContain(guest);
        }
        assertThat(kvmIntel.parameters(0)).containsEntry("ept", "Y");
    }

    @Test
    void simulatedKvmIntelAnInterruptedRunStillRestoresL0() throws Exception {
        SimulatedKvmIntel kvmIntel = new SimulatedKvmIntel();
        Plan plan = plan("{vmcsShadowing: [off, on], force: true}", "",
                "- {type: io, host: l0, paths: [/usr], xdev: true, warmups: 0, runs: 5, maxRuns: 5}");
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                outcome.set(new PlanRunner(dir.resolve("results"), Progress.NONE, kvmIntel::on, QUICK).run(plan));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        runner.start();
        assertThat(kvmIntel.firstSwitch.await(60, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1000);

        runner.interrupt(); // what SIGTERM does to the nvmx worker thread
        runner.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(runner.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(RunOutcome.class);
        RunOutcome interrupted = (RunOutcome) outcome.get();
        assertThat(interrupted.interrupted()).isTrue();
        assertThat(interrupted.run().failures()).anySatisfy(f -> assertThat(f).endsWith("interrupted"));
        assertThat(kvmIntel.log).hasSize(2);
        assertThat(kvmIntel.log.get(0)).startsWith("0: apply {enable_shadow_vmcs=0} while running: []");
        assertThat(kvmIntel.log.get(1)).isEqualTo("0: restore {enable_shadow_vmcs=Y}");
        assertThat(kvmIntel.parameters(0)).containsEntry("enable_shadow_vmcs", "Y");
    }
}
