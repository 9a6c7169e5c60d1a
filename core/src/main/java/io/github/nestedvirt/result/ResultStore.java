package io.github.nestedvirt.result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Results on disk: one directory per run under a results root, {@code ROOT/<runId>/result.json},
 * each written atomically. One unreadable run never hides the others: {@link #loadAll()} reports it
 * and goes on.
 */
public final class ResultStore {

    /** The name of a run's result file within its directory. */
    public static final String RESULT_FILE = "result.json";

    private final Path root;

    /** A store under {@code root}; the directory is created on the first save. */
    public ResultStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * Writes the run to {@code ROOT/<run id>/result.json}, replacing an earlier result of the same run.
     *
     * @return the run's directory
     * @throws IllegalArgumentException if the run's id is not a run id (see {@link RunId})
     */
    public Path save(Run run) throws IOException {
        return save(run, Map.of());
    }

    /**
     * The same, with files of its own beside the result (e.g. {@code junit.xml}), streamed to disk. All of
     * them or none: {@code result.json} is written last, and a new run's directory is removed again if
     * anything fails, even an {@link OutOfMemoryError}, so no half-stored run is left behind.
     */
    public Path save(Run run, Map<String, AtomicFile.Content> besides) throws IOException {
        Path directory = root.resolve(RunId.requireValid(run.id()));
        boolean existed = Files.isDirectory(directory);
        Files.createDirectories(directory);
        boolean stored = false;
        try {
            for (Map.Entry<String, AtomicFile.Content> file : besides.entrySet()) {
                AtomicFile.write(directory.resolve(file.getKey()), file.getValue());
            }
            AtomicFile.write(directory.resolve(RESULT_FILE), out -> ResultJson.write(run, out));
            stored = true;
        } finally {
            if (!stored && !existed) {
                removeTree(directory);
            }
        }
        return directory;
    }

    private static void removeTree(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Reads the run in {@code runDirectory}.
     *
     * @throws ResultJson.NewerSchemaException if a newer version wrote it
     * @throws IOException naming the file, if it is missing, unreadable or not a run
     */
    public Run load(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(RESULT_FILE);
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": missing; the run is still going or ended before writing its result", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read: " + e, e);
        }
        if (json.length == 0) {
            throw new IOException(file + ": empty, expected a run in JSON");
        }
        try {
            return ResultJson.readRun(json, file.toString());
        } catch (ResultJson.NewerSchemaException e) {
            throw e;
        } catch (IOException e) {
            // Jackson's messages locate the problem (line, column) but not the file
            throw new IOException(file + ": not a readable run: " + e.getMessage(), e);
        }
    }

    /**
     * Reads every run under the root, sorted by start time. Runs that cannot be read are left out and
     * listed as problems; a missing root holds no runs.
     *
     * @throws IOException only if the root itself cannot be listed
     */
    public Loaded loadAll() throws IOException {
        if (!Files.exists(root)) {
            return new Loaded(List.of(), List.of());
        }
        List<Path> directories;
        try (Stream<Path> entries = Files.list(root)) {
            directories = entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new IOException(root + ": cannot list the results directory: " + e, e);
        }
        List<Run> runs = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path directory : directories) {
            try {
                runs.add(load(directory));
            } catch (IOException | RuntimeException e) {
                problems.add(new Problem(directory, e.getMessage()));
            }
        }
        runs.sort(Comparator.comparing(Run::start, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Run::id, Comparator.nullsLast(Comparator.naturalOrder())));
        return new Loaded(List.copyOf(runs), List.copyOf(problems));
    }

    /**
     * What {@link #loadAll()} found.
     *
     * @param runs every readable run, oldest first
     * @param problems every run directory that could not be read, with the reason
     */
    public record Loaded(List<Run> runs, List<Problem> problems) {
    }

    /**
     * A run directory that could not be read.
     *
     * @param directory the run's directory
     * @param reason what is wrong, naming the file
     */
    public record Problem(Path directory, String reason) {
    }
}
