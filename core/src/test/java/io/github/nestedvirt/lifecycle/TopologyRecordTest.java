package io.github.nestedvirt.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.ResultJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyRecordTest {

    @TempDir
    Path runDir;

    private final Resource volume = Resource.volume("qemu:///system", "default", "nvmx-l1.qcow2", Level.L0);
    private final Resource domain = Resource.domain("qemu:///system", "nvmx-l1", Level.L1);

    private JsonNode onDisk() throws IOException {
        return ResultJson.mapper().readTree(runDir.resolve("topology.json").toFile());
    }

    @Test
    void aResourceIsOnDiskAsPlannedBeforeItsCreationBegins() throws Exception {
        TopologyRecord record = TopologyRecord.open(runDir, "r1");

        String stateDuringCreation = record.create(volume, () -> onDisk().at("/resources/0/state").asText());

        assertThat(stateDuringCreation).isEqualTo("planned");
        JsonNode written = onDisk().at("/resources/0");
        assertThat(written.get("kind").asText()).isEqualTo("volume");
        assertThat(written.get("pool").asText()).isEqualTo("default");
        assertThat(written.get("where").asText()).isEqualTo("qemu:///system");
        assertThat(written.get("level").asText()).isEqualTo("L0");
        assertThat(written.get("state").asText()).isEqualTo("created");
        assertThat(onDisk().get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aFailedCreationStaysPlannedForTeardownToCheck() throws Exception {
        TopologyRecord record = TopologyRecord.open(runDir, "r1");

        assertThatThrownBy(() -> record.create(domain, () -> {
            throw new IllegalStateException("define failed");
        })).hasMessage("define failed");

        assertThat(TopologyRecord.read(runDir).resources()).containsExactly(domain.in(Resource.State.PLANNED));
    }

    @Test
    void reopeningKeepsWhatWasRecordedInOrder() throws Exception {
        TopologyRecord first = TopologyRecord.open(runDir, "r1");
        first.create(volume, () -> null);
        first.create(domain, () -> null);
        first.removed(domain);

        TopologyRecord again = TopologyRecord.open(runDir, "ignored-for-an-existing-record");

        assertThat(again.run()).isEqualTo("r1");
        assertThat(again.resources()).containsExactly(volume.in(Resource.State.CREATED),
                domain.in(Resource.State.REMOVED));
        assertThat(again.live()).containsExactly(volume.in(Resource.State.CREATED));
    }

    @Test
    void aResourceNeverPlannedCannotBeMarkedCreated() throws Exception {
        TopologyRecord record = TopologyRecord.open(runDir, "r1");

        assertThatThrownBy(() -> record.created(domain)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("domain nvmx-l1 on qemu:///system was never recorded as planned");
    }

    @Test
    void aTruncatedRecordIsAnErrorNamingTheFileAndTheLine() throws Exception {
        copyFixture("truncated-topology.json");

        assertThatThrownBy(() -> TopologyRecord.read(runDir)).isInstanceOf(TopologyRecordException.class)
                .hasMessageStartingWith(runDir.resolve("topology.json") + ": damaged topology record, line ")
                .hasMessageContaining("nvmx reap");
    }

    @Test
    void anUnknownKindIsAnErrorNamingTheFileAndTheValue() throws Exception {
        copyFixture("unknown-kind-topology.json");

        assertThatThrownBy(() -> TopologyRecord.read(runDir)).isInstanceOf(TopologyRecordException.class)
                .hasMessageStartingWith(runDir.resolve("topology.json") + ": damaged topology record")
                .hasMessageContaining("snapshot");
    }

    @Test
    void aVolumeWithoutPoolIsAnErrorSayingSo() throws Exception {
        copyFixture("volume-without-pool-topology.json");

        assertThatThrownBy(() -> TopologyRecord.read(runDir)).isInstanceOf(TopologyRecordException.class)
                .hasMessageContaining("volume nvmx-l1.qcow2 needs its storage pool");
    }

    @Test
    void aDirectoryWithoutRecordIsNamed() {
        assertThatThrownBy(() -> TopologyRecord.read(runDir.resolve("nope")))
                .hasMessageContaining(runDir.resolve("nope").resolve("topology.json") + ": no such file");
    }

    @Test
    void aNewerFormatIsRefused() throws Exception {
        Files.writeString(runDir.resolve("topology.json"), "{\"schemaVersion\": 2, \"run\": \"r\", \"resources\": []}");

        assertThatThrownBy(() -> TopologyRecord.read(runDir)).hasMessageContaining("use a newer nvmx");
    }

    private void copyFixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/lifecycle/" + name)) {
            Files.copy(in, runDir.resolve("topology.json"));
        }
    }
}
