package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultJsonTest {

    private static final Instant START = Instant.parse("2025-01-31T12:00:00.250Z");

    @Test
    void runRoundTripsExactly() throws Exception {
        Run run = Runs.run("20250131-120000-3fa9c1", START);

        Run read = ResultJson.readRun(ResultJson.write(run), "test");

        assertThat(read).isEqualTo(run);
        assertThat(read.measurements().get(0).samples().get(0).warmup()).isTrue();
        assertThat(read.fingerprint().get(1).kvm().state()).isEqualTo(KvmStatus.State.UNUSABLE);
    }

    @Test
    void aResultWrittenBeforeKvmStatWasCapturedStillLoads() throws Exception {
        // written by nvmx run plans/quickstart.yaml on one of our machines, before measurements had kvmStat
        byte[] old = getClass().getResourceAsStream("quickstart-before-kvmstat.json").readAllBytes();
        assertThat(new String(old, StandardCharsets.UTF_8)).doesNotContain("kvmStat");

        Run run = ResultJson.readRun(old, "quickstart-before-kvmstat.json");

        assertThat(run.measurements()).isNotEmpty().allSatisfy(m -> assertThat(m.kvmStat()).isEmpty());
        assertThat(run.measurements().get(0).values()).isNotEmpty();
    }

    @Test
    void hypervisorExitsRoundTripWithTheMeasurement() throws Exception {
        Run plain = Runs.run("20250131-120000-3fa9c1", START);
        HypervisorExits exits = new HypervisorExits(Level.L0, "local", "tracefs", 61.5,
                java.util.Map.of("kvm_exit", 1520.5, "kvm_exit(EPT_VIOLATION)", 402.0, "kvm_nested_vmexit", 360.25),
                List.of("kvm_stat: not installed (/bin/sh: 1: exec: kvm_stat: not found)"));
        HypervisorExits none = HypervisorExits.unavailable(Level.L1, "l1", List.of("debugfs: Operation not permitted"));
        List<Measurement> measurements = new ArrayList<>(plain.measurements());
        measurements.set(0, measurements.get(0).withKvmStat(List.of(exits, none)));
        Run run = new Run(plain.schemaVersion(), plain.id(), plain.start(), plain.end(), plain.plan(),
                plain.fingerprint(), measurements, plain.failures());

        Run read = ResultJson.readRun(ResultJson.write(run), "test");

        assertThat(read).isEqualTo(run);
        assertThat(read.measurements().get(0).kvmStat().get(1).captured()).isFalse();
    }

    @Test
    void instantsAreIsoTextNotNumbers() throws Exception {
        JsonNode tree = ResultJson.mapper().readTree(ResultJson.write(Runs.run("20250131-120000-3fa9c1", START)));

        assertThat(tree.get("start").asText()).isEqualTo("2025-01-31T12:00:00.250Z");
        assertThat(tree.get("end").asText()).isEqualTo("2025-01-31T13:02:05.373456789Z");
    }

    @Test
    void jsonHoldsOnlyRecordComponents() throws Exception {
        JsonNode tree = ResultJson.mapper().readTree(ResultJson.write(Runs.run("20250131-120000-3fa9c1", START)));

        assertThat(fieldNames(tree)).containsExactlyInAnyOrderElementsOf(components(Run.class));
        JsonNode measurement = tree.get("measurements").get(0);
        assertThat(fieldNames(measurement)).containsExactlyInAnyOrderElementsOf(components(Measurement.class));
        assertThat(fieldNames(measurement.get("samples").get(0)))
                .containsExactlyInAnyOrderElementsOf(components(Sample.class));
        JsonNode facts = tree.get("fingerprint").get(0);
        assertThat(fieldNames(facts)).containsExactlyInAnyOrderElementsOf(components(HostFacts.class));
        assertThat(fieldNames(facts.get("kvm"))).containsExactlyInAnyOrderElementsOf(components(KvmStatus.class));
    }

    @Test
    void unknownPropertiesOfANewerMinorVersionAreIgnored() throws Exception {
        String json = new String(ResultJson.write(Runs.run("20250131-120000-3fa9c1", START)), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{ \"comment\": \"added later\",");

        Run read = ResultJson.readRun(json.getBytes(StandardCharsets.UTF_8), "test");

        assertThat(read.id()).isEqualTo("20250131-120000-3fa9c1");
    }

    @Test
    void newerSchemaVersionIsRefusedNamingTheSource() {
        byte[] json = ("{\"schemaVersion\": " + (Run.SCHEMA_VERSION + 1) + ", \"id\": \"x\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ResultJson.readRun(json, "/results/r1/result.json"))
                .isInstanceOf(ResultJson.NewerSchemaException.class)
                .hasMessageContaining("/results/r1/result.json")
                .hasMessageContaining("schemaVersion " + (Run.SCHEMA_VERSION + 1))
                .hasMessageContaining("newer nvmx");
    }

    @Test
    void missingSchemaVersionIsRefused() {
        byte[] json = "{\"id\": \"x\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ResultJson.readRun(json, "r.json"))
                .hasMessageContaining("r.json").hasMessageContaining("schemaVersion missing");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList();
    }
}
