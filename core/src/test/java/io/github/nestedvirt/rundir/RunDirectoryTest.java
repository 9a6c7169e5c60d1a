package io.github.nestedvirt.rundir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.lifecycle.TopologyRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void theRequestRoundTripsAndADirectoryIsUsedOnce() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("run"));
        dir.writeRequest(new StepRequest("nestedKernelBuild", Map.of("source", "/usr/src/linux.tar.xz", "runs", 3,
                "paths", List.of("/a", "/b"))));

        StepRequest read = RunDirectory.open(dir.path()).readRequest();

        assertThat(read.step()).isEqualTo("nestedKernelBuild");
        assertThat(read.arguments()).containsEntry("runs", 3).containsEntry("paths", List.of("/a", "/b"));
        assertThat(Files.getPosixFilePermissions(dir.path())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> RunDirectory.create(dir.path())).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("spec.json").hasMessageContaining("its own directory");
    }

    @Test
    void aSecretIsOwnerOnlyAndDeletedAgain() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("run"));

        Path key = dir.writeSecret("ssh-key", "-----BEGIN OPENSSH PRIVATE KEY-----".getBytes(StandardCharsets.UTF_8));

        assertThat(key).isEqualTo(dir.path().resolve("secrets/ssh-key"));
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(key.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> dir.writeSecret("../escape", new byte[1])).hasMessageContaining("secret name '../escape'");
        dir.deleteSecrets();
        assertThat(dir.path().resolve("secrets")).doesNotExist();
        dir.deleteSecrets(); // nothing left: no error
    }

    @Test
    void theLogIsReadOnWholeCharactersAcrossPartialLines() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("run"));
        byte[] text = "Größe 1€ 𝄞 ok\nnext".getBytes(StandardCharsets.UTF_8);
        StringBuilder seen = new StringBuilder();
        long offset = 0;
        // the writer appends a byte at a time: every read must stop before a half-written character
        for (byte b : text) {
            Files.write(dir.logFile(), new byte[] {b}, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            LogChunk chunk = dir.readLog(offset, 5);
            assertThat(chunk.text()).doesNotContain("\uFFFD");
            seen.append(chunk.text());
            offset = chunk.nextOffset();
        }
        assertThat(seen.toString()).isEqualTo("Größe 1€ 𝄞 ok\nnext");
        assertThat(offset).isEqualTo(text.length);
        assertThat(dir.readLog(offset, 5)).isEqualTo(new LogChunk("", text.length));
    }

    @Test
    void aSmallLimitNeverCutsAFourByteCharacter() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("run"));
        Files.writeString(dir.logFile(), "a𝄞𝄞");

        LogChunk first = dir.readLog(0, 4);
        LogChunk second = dir.readLog(first.nextOffset(), 4);
        LogChunk third = dir.readLog(second.nextOffset(), 4);

        assertThat(List.of(first.text(), second.text(), third.text())).containsExactly("a", "𝄞", "𝄞");
    }

    @Test
    void withoutPidOrExitTheEngineHasNotStarted() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("run"));

        assertThat(dir.state().status()).isEqualTo(EngineState.Status.NOT_STARTED);
        assertThat(dir.readLog(0, 100)).isEqualTo(new LogChunk("", 0));
    }

    @Test
    void aProcessGoneWithoutExitFileHasVanishedAndTheMessageSaysWhatToDo() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("run"));
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        dir.writePid(sleeper.toHandle());
        assertThat(dir.state().status()).isEqualTo(EngineState.Status.RUNNING);

        sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        EngineState state = dir.state();
        assertThat(state.status()).isEqualTo(EngineState.Status.VANISHED);
        assertThat(state.pid()).hasValue(sleeper.pid());
        assertThat(dir.describe(state)).contains("without writing").contains("Processes it started")
                .doesNotContain("nvmx teardown");
        TopologyRecord.open(dir.path(), "run"); // a step that provisions keeps its record here
        assertThat(dir.describe(state)).contains("Guests it created may be left: run 'nvmx teardown " + dir.path());
    }

    @Test
    void anExitFileMeansExitedWithItsCode() throws Exception {
        RunDirectory dir = RunDirectory.create(temp.resolve("run"));
        dir.writePid(ProcessHandle.current());
        dir.writeExit(3);

        EngineState state = dir.state();

        assertThat(state.status()).isEqualTo(EngineState.Status.EXITED);
        assertThat(state.exitCode()).hasValue(3);
    }
}
