package io.github.nestedvirt.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.result.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guarded lifecycle in process; the SIGTERM and SIGKILL cases are in {@link EngineKilledTest}. */
class LifecycleTest {

    @TempDir
    Path temp;

    @Test
    void endingTheBlockNormallyRemovesWhatWasCreated() throws Exception {
        Path file = temp.resolve("seed.iso");
        Path runDir = temp.resolve("run-1");
        try (Lifecycle life = Lifecycle.open(runDir)) {
            life.create(Resource.seedImage("local", file.toString(), Level.L0), () -> Files.writeString(file, "x"));
            assertThat(file).exists();
        }

        assertThat(file).doesNotExist();
        assertThat(TopologyRecord.read(runDir).run()).isEqualTo("run-1");
        assertThat(TopologyRecord.read(runDir).live()).isEmpty();
    }

    @Test
    void anErrorInsideTheBlockStillRemovesEverything() throws Exception {
        Path file = temp.resolve("console.log");
        assertThatThrownBy(() -> {
            try (Lifecycle life = Lifecycle.open(temp.resolve("run"))) {
                life.create(Resource.file("local", file.toString(), Level.L0), () -> Files.writeString(file, "x"));
                throw new IllegalStateException("L1 never booted");
            }
        }).hasMessage("L1 never booted");

        assertThat(file).doesNotExist();
    }

    @Test
    void nothingNewIsCreatedOnceTeardownHasBegun() throws Exception {
        Path file = temp.resolve("late");
        Lifecycle life = Lifecycle.open(temp.resolve("run"));
        life.close();

        assertThatThrownBy(() -> life.create(Resource.file("local", file.toString(), Level.L0),
                () -> Files.writeString(file, "x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is being torn down");
        assertThat(file).doesNotExist();
        life.close();
    }

    @Test
    void aTeardownThatLeavesSomethingFailsTheBlockWithTheList() throws Exception {
        Path directory = Files.createDirectory(temp.resolve("dir"));
        Lifecycle life = Lifecycle.open(temp.resolve("run"));
        life.create(Resource.file("local", directory.toString(), Level.L0), () -> null);

        assertThatThrownBy(life::close).isInstanceOf(IncompleteTeardownException.class)
                .hasMessageContaining("left 1 resource(s) behind")
                .hasMessageContaining("file " + directory + " on local");
    }

    @Test
    void handedOverResourcesOutliveTheBlockUntilATeardownOfTheRunDirectory() throws Exception {
        Path file = temp.resolve("serial.log");
        Path runDir = temp.resolve("run");
        try (Lifecycle life = Lifecycle.open(runDir)) {
            life.create(Resource.file("local", file.toString(), Level.L0), () -> Files.writeString(file, "x"));
            life.handOver();
            assertThatThrownBy(() -> life.create(Resource.file("local", temp.resolve("late").toString(), Level.L0),
                    () -> null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was handed over to a later teardown");
        }
        assertThat(file).exists();
        assertThat(TopologyRecord.read(runDir).live()).hasSize(1);

        assertThat(Teardown.fromThisMachine().run(TopologyRecord.read(runDir)).removed()).hasSize(1);
        assertThat(file).doesNotExist();
    }
}
