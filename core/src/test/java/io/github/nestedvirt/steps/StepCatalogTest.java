package io.github.nestedvirt.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.KvmUnitTests;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.migration.MigrationBenchmark;
import io.github.nestedvirt.migration.MigrationRoute;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.stability.StabilityRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepCatalogTest {

    @TempDir
    Path temp;

    @Test
    void everyStepOfThePlanIsThere() {
        assertThat(StepCatalog.stepNames()).containsExactly("nestedPreflight", "nestedProvision", "nestedTeardown",
                "nestedTopology", "nestedKernelBuild", "nestedGuestfish", "nestedKvmUnitTests", "nestedIoBench",
                "nestedNetperf", "nestedMigrate", "nestedStress");
    }

    @Test
    void parametersComeFromTheEngineRecordsWithTypesRequiredFlagsAndHelp() {
        List<StepParameter> kernel = StepCatalog.parameters("nestedKernelBuild");

        assertThat(kernel).extracting(StepParameter::name).containsExactly("source", "workDir", "config", "debugOff",
                "jobs", "dropCaches", "warmups", "runs", "maxRuns", "prepareTimeoutMinutes", "timeoutMinutes", "targets",
                "topology", "level", "guest", "resultsId");
        assertThat(kernel.get(0)).isEqualTo(new StepParameter("source", "string", true, kernel.get(0).help()));
        assertThat(kernel).filteredOn(StepParameter::required).extracting(StepParameter::name).containsExactly("source");
        assertThat(kernel).filteredOn(p -> p.name().equals("jobs")).extracting(StepParameter::type).containsExactly("integer");
        assertThat(kernel).filteredOn(p -> p.name().equals("level")).extracting(StepParameter::type)
                .containsExactly("L0|L1|L2");
        assertThat(StepCatalog.parameters("nestedIoBench")).filteredOn(p -> p.name().equals("paths"))
                .extracting(StepParameter::type).containsExactly("list of string");
        assertThat(StepCatalog.parameters("nestedTopology")).extracting(StepParameter::name)
                .containsExactly("file", "expiresHours", "l1KvmIntel", "l0", "l1");
        assertThat(StepCatalog.parameters("nestedTeardown")).singleElement()
                .satisfies(p -> assertThat(p.required()).isTrue());
    }

    @Test
    void everyParameterOfEveryStepHasHelpForTheSnippetGenerator() {
        for (String step : StepCatalog.stepNames()) {
            assertThat(StepCatalog.parameters(step)).as(step).allSatisfy(p -> assertThat(p.help()).as(step + " " + p.name())
                    .isNotBlank().endsWith("."));
        }
    }

    @Test
    void argumentsBindToTheEngineSpecWithItsDefaults() {
        BoundStep bound = StepCatalog.bindStep("nestedKernelBuild", Map.of("source", "/usr/src/linux.tar.xz",
                "config", "tinyconfig", "runs", 2, "topology", "/runs/t1", "level", "L2"));

        assertThat(bound.parameters()).isInstanceOf(KernelBuild.Parameters.class);
        KernelBuild.Parameters kernel = (KernelBuild.Parameters) bound.parameters();
        assertThat(kernel.config()).isEqualTo("tinyconfig");
        assertThat(kernel.runs()).isEqualTo(2);
        assertThat(kernel.maxRuns()).isEqualTo(4);
        assertThat(bound.target()).isEqualTo(new StepTarget("/runs/t1", Level.L2, null, null));
        assertThat(bound.resultsId()).isEqualTo("nestedKernelBuild");
        assertThat(StepCatalog.bind("nestedNetperf", Map.of("address", "192.168.122.1", "resultsId", "net-l0")))
                .isInstanceOfSatisfying(BoundStep.class, b -> {
                    assertThat(b.parameters()).isInstanceOf(NetworkThroughput.Parameters.class);
                    assertThat(b.resultsId()).isEqualTo("net-l0");
                });
        assertThat(StepCatalog.bindStep("nestedStress", Map.of("topology", "/runs/t1", "seconds", 60)).parameters())
                .isEqualTo(StabilityRun.Parameters.fromPlan(60, null, null, null));
    }

    @Test
    void aMisspelledParameterNamesStepParameterAndTheValidNames() {
        assertThatThrownBy(() -> StepCatalog.bind("nestedKernelBuild", Map.of("source", "/src.tar.xz", "runz", 3)))
                .isInstanceOfSatisfying(StepArgumentException.class, e -> {
                    assertThat(e.step()).isEqualTo("nestedKernelBuild");
                    assertThat(e.parameter()).isEqualTo("runz");
                })
                .hasMessageStartingWith("nestedKernelBuild: runz: unknown parameter; valid parameters: config, ")
                .hasMessageContaining("resultsId").hasMessageContaining("runs");
    }

    @Test
    void aBadValueIsTheEnginesOwnMessageWithTheParameter() {
        assertThatThrownBy(() -> StepCatalog.bind("nestedKernelBuild", Map.of("source", "/src.tar.xz", "jobs", -1)))
                .isInstanceOfSatisfying(StepArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("jobs"))
                .hasMessage("nestedKernelBuild: jobs: must be 0 (one per CPU) or more, got -1");
        assertThatThrownBy(() -> StepCatalog.bind("nestedKernelBuild", Map.of("source", "/src.tar.xz", "runs", "three")))
                .isInstanceOfSatisfying(StepArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("runs"))
                .hasMessageStartingWith("nestedKernelBuild: runs: ");
        assertThatThrownBy(() -> StepCatalog.bind("nestedKernelBuild", Map.of("config", "tinyconfig")))
                .hasMessageStartingWith("nestedKernelBuild: source: missing; ");
        assertThatThrownBy(() -> StepCatalog.bind("nestedGuestfish", Map.of("level", "L3")))
                .isInstanceOfSatisfying(StepArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("level"))
                .hasMessageContaining("'L3'").hasMessageContaining("L0, L1, L2");
        assertThatThrownBy(() -> StepCatalog.bind("nestedGuestfish", Map.of("level", "L1")))
                .hasMessageStartingWith("nestedGuestfish: level: L1 needs 'topology'");
        assertThatThrownBy(() -> StepCatalog.bind("nestedTeardown", Map.of()))
                .hasMessageStartingWith("nestedTeardown: topology: missing; ");
        assertThatThrownBy(() -> StepCatalog.bind("nestedKernelBiuld", Map.of()))
                .hasMessageContaining("no such step").hasMessageContaining("nestedKernelBuild");
    }

    @Test
    void aTopologyIsGivenInlineOrAsAFileAndCheckedLikeATopologyFile() throws Exception {
        Map<String, Object> l1 = Map.of("name", "l1a", "memory", "2G");
        ProvisionSpec inline = (ProvisionSpec) StepCatalog.bindStep("nestedTopology",
                Map.of("l1", List.of(l1), "expiresHours", 2)).parameters();
        assertThat(inline.topology().l1()).singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("l1a"));
        assertThat(inline.expires()).isEqualTo(Duration.ofHours(2));

        Path file = temp.resolve("topology.yaml");
        Files.writeString(file, "l1:\n  - name: l1b\n");
        ProvisionSpec fromFile = (ProvisionSpec) StepCatalog.bindStep("nestedProvision", Map.of("file", file.toString()))
                .parameters();
        assertThat(fromFile.topology().l1()).singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("l1b"));
        ProvisionSpec inWorkspace = (ProvisionSpec) StepCatalog.bindStep("nestedProvision",
                Map.of("file", "topology.yaml"), temp).parameters();
        assertThat(inWorkspace.topology()).isEqualTo(fromFile.topology());

        assertThatThrownBy(() -> StepCatalog.bind("nestedTopology", Map.of("l1", List.of(Map.of("name", "l1a",
                "memroy", "2G"))))).hasMessageContaining("nestedTopology: l1[0].memroy: unknown key 'memroy'");
        ProvisionSpec shadowOnEpt = (ProvisionSpec) StepCatalog.bindStep("nestedTopology",
                Map.of("file", file.toString(), "l1KvmIntel", Map.of("ept", 0))).parameters();
        assertThat(shadowOnEpt.l1KvmIntel()).isEqualTo(Map.of("ept", "0"));
        assertThat(inline.l1KvmIntel()).isEmpty();
        assertThatThrownBy(() -> StepCatalog.bind("nestedTopology", Map.of("file", file.toString(),
                "l1KvmIntel", Map.of("ept", "0; reboot")))).isInstanceOf(StepArgumentException.class)
                .hasMessageContaining("l1KvmIntel: 'ept: 0; reboot' is not a module parameter");
        assertThatThrownBy(() -> StepCatalog.bind("nestedTopology", Map.of()))
                .hasMessageStartingWith("nestedTopology: l1: missing; ");
        assertThatThrownBy(() -> StepCatalog.bind("nestedTopology", Map.of("file", file.toString(), "l1", List.of(l1))))
                .hasMessageContaining("either as a file or inline");
    }

    @Test
    void kvmUnitTestsTakeTheSuitesPlanKeysAndTheTarget() {
        assertThat(StepCatalog.parameters("nestedKvmUnitTests")).extracting(StepParameter::name).containsExactly(
                "source", "workDir", "groups", "tests", "tap", "accel", "testTimeoutSeconds", "buildTimeoutMinutes",
                "timeoutMinutes", "topology", "level", "guest", "resultsId");

        BoundStep bound = StepCatalog.bindStep("nestedKvmUnitTests", Map.of("source", "/srv/kvm-unit-tests",
                "groups", List.of("vmx"), "level", "L1", "topology", "/runs/t"));

        KvmUnitTests.Parameters parameters = (KvmUnitTests.Parameters) bound.parameters();
        assertThat(parameters.groups()).containsExactly("vmx");
        assertThat(parameters.accel()).isEqualTo("kvm");
        assertThat(bound.target().level()).isEqualTo(Level.L1);
        assertThatThrownBy(() -> StepCatalog.bind("nestedKvmUnitTests", Map.of("source", "/srv/kut", "accel", "hvf")))
                .isInstanceOf(StepArgumentException.class)
                .hasMessage("nestedKvmUnitTests: accel: must be kvm or tcg, got 'hvf'");
        assertThatThrownBy(() -> StepCatalog.bind("nestedKvmUnitTests", Map.of()))
                .hasMessageStartingWith("nestedKvmUnitTests: source: missing; Where the suite is");
    }

    @Test
    void aMigrationNeedsItsTopologyAndDestinationAndMovesAGuestNotALevel() {
        assertThat(StepCatalog.parameters("nestedMigrate")).extracting(StepParameter::name).containsExactly(
                "destinationUri", "storage", "migrateUri", "roundTrips", "force", "topology", "guest", "resultsId");
        assertThat(StepCatalog.parameters("nestedMigrate")).filteredOn(StepParameter::required)
                .extracting(StepParameter::name).containsExactly("destinationUri", "topology");
        assertThat(StepCatalog.parameters("nestedMigrate")).filteredOn(p -> p.name().equals("storage"))
                .extracting(StepParameter::type).containsExactly("SHARED|SHARED_UNCHECKED|COPY");

        BoundStep bound = StepCatalog.bindStep("nestedMigrate", Map.of("topology", "/runs/t",
                "destinationUri", "qemu+ssh://root@l0b/system", "storage", "COPY", "roundTrips", 2));

        assertThat(bound.parameters()).isEqualTo(new MigrationBenchmark.Parameters("qemu+ssh://root@l0b/system",
                MigrationRoute.Storage.COPY, null, 2, false));
        assertThatThrownBy(() -> StepCatalog.bind("nestedMigrate", Map.of("topology", "/runs/t",
                "destinationUri", "qemu+ssh://root@l0b/system", "roundTrips", -1)))
                .hasMessage("nestedMigrate: roundTrips: -1 is negative; give 0 (one way) or more");
        assertThatThrownBy(() -> StepCatalog.bind("nestedMigrate", Map.of("topology", "/runs/t",
                "destinationUri", "qemu+ssh://root@l0b/system", "level", "L2")))
                .hasMessageContaining("nestedMigrate: level: unknown parameter");
        assertThatThrownBy(() -> StepCatalog.bind("nestedMigrate", Map.of("destinationUri", "qemu:///system")))
                .hasMessageStartingWith("nestedMigrate: topology: missing; ");
    }
}
