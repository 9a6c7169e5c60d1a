package io.github.nestedvirt.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultStoreTest {

    @TempDir
    Path root;

    private ResultStore store;

    private final Run older = Runs.run("20250130-080000-00aa11", Instant.parse("2025-01-30T08:00:00Z"));
    private final Run newer = Runs.run("20250131-120000-3fa9c1", Instant.parse("2025-01-31T12:00:00Z"));

    @org.junit.jupiter.api.BeforeEach
    void createStore() {
        store = new ResultStore(root.resolve("results"));
    }

    @Test
    void savedRunLoadsBackEqual() throws IOException {
        Path directory = store.save(newer);

        assertThat(directory).isEqualTo(root.resolve("results/20250131-120000-3fa9c1"));
        assertThat(directory.resolve("result.json")).isRegularFile();
        assertThat(store.load(directory)).isEqualTo(newer);
    }

    @Test
    void saveLeavesNoTemporaryFiles() throws IOException {
        Path directory = store.save(newer);
        store.save(newer);

        assertThat(list(directory)).containsExactly("result.json");
    }

    @Test
    void savingAgainReplacesTheResult() throws IOException {
        store.save(newer);
        Run finished = new Run(newer.schemaVersion(), newer.id(), newer.start(), newer.end().plusSeconds(60),
                newer.plan(), newer.fingerprint(), newer.measurements(), List.of());

        Path directory = store.save(finished);

        assertThat(store.load(directory)).isEqualTo(finished);
    }

    @Test
    void runIdThatCouldEscapeTheRootIsRefused() {
        Run bad = Runs.run("../../etc", Instant.parse("2025-01-31T12:00:00Z"));

        assertThatThrownBy(() -> store.save(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run id").hasMessageContaining("../../etc");
    }

    @Test
    void loadAllSortsByStartTime() throws IOException {
        store.save(newer);
        store.save(older);

        ResultStore.Loaded loaded = store.loadAll();

        assertThat(loaded.runs()).containsExactly(older, newer);
        assertThat(loaded.problems()).isEmpty();
    }

    @Test
    void missingRootHoldsNoRuns() throws IOException {
        ResultStore.Loaded loaded = new ResultStore(root.resolve("nowhere")).loadAll();

        assertThat(loaded.runs()).isEmpty();
        assertThat(loaded.problems()).isEmpty();
    }

    @Test
    void brokenRunsAreReportedWithTheirPathAndSkipped() throws IOException {
        store.save(older);
        store.save(newer);
        byte[] good = ResultJson.write(newer);
        Path truncated = writeRun("20250201-000000-aaaaaa", Arrays.copyOf(good, good.length / 2));
        Path notJson = writeRun("20250202-000000-bbbbbb", "kernel build took 61 s\n".getBytes(StandardCharsets.UTF_8));
        Path empty = writeRun("20250203-000000-cccccc", new byte[0]);
        Path future = writeRun("20250204-000000-dddddd", new String(good, StandardCharsets.UTF_8)
                .replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : 2").getBytes(StandardCharsets.UTF_8));
        Path noResult = Files.createDirectories(store.root().resolve("20250205-000000-eeeeee"));
        // a directory where the file should be: reading it fails for real, even as root
        Path unreadable = Files.createDirectories(store.root().resolve("20250206-000000-ffffff/result.json"))
                .getParent();

        ResultStore.Loaded loaded = store.loadAll();

        assertThat(loaded.runs()).containsExactly(older, newer);
        assertThat(loaded.problems()).extracting(ResultStore.Problem::directory)
                .containsExactly(truncated, notJson, empty, future, noResult, unreadable);
        assertThat(reason(loaded, truncated)).contains(truncated.resolve("result.json").toString(), "not a readable run");
        assertThat(reason(loaded, notJson)).contains(notJson.resolve("result.json").toString(), "not a readable run");
        assertThat(reason(loaded, empty)).contains(empty.resolve("result.json").toString(), "empty");
        assertThat(reason(loaded, future)).contains(future.resolve("result.json").toString(), "schemaVersion 2",
                "newer");
        assertThat(reason(loaded, noResult)).contains(noResult.resolve("result.json").toString(), "missing");
        assertThat(reason(loaded, unreadable)).contains(unreadable.resolve("result.json").toString(),
                "cannot be read");
    }

    @Test
    void crashBetweenWriteAndRenameKeepsThePreviousResult() throws IOException {
        Path directory = store.save(newer);
        // what a crash leaves: a half-written temporary file next to the good result
        byte[] good = ResultJson.write(newer);
        Files.write(directory.resolve(".result.json.123456789" + AtomicFile.TEMP_SUFFIX),
                Arrays.copyOf(good, good.length / 3));

        ResultStore.Loaded loaded = store.loadAll();

        assertThat(loaded.runs()).containsExactly(newer);
        assertThat(loaded.problems()).isEmpty();
    }

    private Path writeRun(String id, byte[] content) throws IOException {
        Path directory = Files.createDirectories(store.root().resolve(id));
        Files.write(directory.resolve(ResultStore.RESULT_FILE), content);
        return directory;
    }

    private static String reason(ResultStore.Loaded loaded, Path directory) {
        return loaded.problems().stream().filter(p -> p.directory().equals(directory)).findFirst().orElseThrow()
                .reason();
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
