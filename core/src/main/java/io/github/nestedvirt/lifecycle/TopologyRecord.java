package io.github.nestedvirt.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.result.AtomicFile;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.topology.LocalHostName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The run directory's {@code topology.json}: the write-ahead record of every resource a run
 * creates.
 *
 * <p>A resource is written here as {@link Resource.State#PLANNED planned} BEFORE it is created,
 * marked {@link Resource.State#CREATED created} after, and {@link Resource.State#REMOVED removed}
 * once it is gone. Every change replaces the whole file atomically ({@link AtomicFile}), so a
 * process killed at any moment leaves a complete record behind, and {@link Teardown} can remove
 * whatever may exist, planned resources included. Thread-safe.
 */
public final class TopologyRecord {

    /** The file's name inside a run directory. */
    public static final String FILE_NAME = "topology.json";

    /** The format version written; a newer one is refused on reading. */
    public static final int SCHEMA_VERSION = 1;

    private final Path file;
    private Document document;

    private TopologyRecord(Path file, Document document) {
        this.file = file;
        this.document = document;
    }

    /**
     * The record of {@code runDir}: the existing one, so that nothing recorded earlier is
     * forgotten, or a new, empty one owned by this process, written at once.
     */
    public static TopologyRecord open(Path runDir, String run) throws IOException {
        Path file = runDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(runDir);
        }
        Files.createDirectories(runDir);
        ProcessHandle self = ProcessHandle.current();
        TopologyRecord record = new TopologyRecord(file, new Document(SCHEMA_VERSION, run, self.pid(),
                LocalHostName.get(), Instant.now(), List.of()));
        record.save();
        return record;
    }

    /** Reads the record of {@code runDir}; a missing or damaged file is an error naming it. */
    public static TopologyRecord read(Path runDir) throws TopologyRecordException {
        Path file = runDir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TopologyRecordException(file + ": no such file; is " + runDir + " a run directory?", e);
        } catch (IOException e) {
            throw new TopologyRecordException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new TopologyRecord(file, parse(bytes, file));
    }

    private static Document parse(byte[] bytes, Path file) throws TopologyRecordException {
        String damaged = file + ": damaged topology record, ";
        String advice = "; its resources must be checked and removed by hand (virsh list --all, "
                + "virsh vol-list POOL), or found by 'nvmx reap'";
        try {
            JsonNode tree = ResultJson.mapper().readTree(bytes);
            if (tree == null || tree.isMissingNode() || !tree.isObject()) {
                throw new TopologyRecordException(damaged + "expected a JSON object" + advice);
            }
            JsonNode version = tree.get("schemaVersion");
            if (version == null || !version.canConvertToInt()) {
                throw new TopologyRecordException(damaged + "schemaVersion missing or not a number" + advice);
            }
            if (version.asInt() > SCHEMA_VERSION) {
                throw new TopologyRecordException(file + ": schemaVersion " + version.asInt()
                        + " is newer than this version understands (" + SCHEMA_VERSION + "); use a newer nvmx");
            }
            Document document = ResultJson.mapper().treeToValue(tree, Document.class);
            if (document.resources() == null || document.run() == null) {
                throw new TopologyRecordException(damaged + "'run' or 'resources' missing" + advice);
            }
            return document;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
            throw new TopologyRecordException(damaged + where + e.getOriginalMessage() + advice, e);
        } catch (IOException e) {
            throw new TopologyRecordException(damaged + e.getMessage() + advice, e);
        }
    }

    /** The file this record lives in. */
    public Path file() {
        return file;
    }

    /** The id of the run that owns the resources. */
    public synchronized String run() {
        return document.run();
    }

    /** The process id of the engine that started the record, on {@link #ownerHost()}. */
    public synchronized long ownerPid() {
        return document.pid();
    }

    /** The host name of the machine the owning engine ran on. */
    public synchronized String ownerHost() {
        return document.host();
    }

    /** Every resource ever recorded, in the order they were planned. */
    public synchronized List<Resource> resources() {
        return document.resources();
    }

    /** Resources that may still exist (planned or created), in the order they were planned. */
    public synchronized List<Resource> live() {
        return document.resources().stream().filter(r -> r.state() != Resource.State.REMOVED).toList();
    }

    /**
     * Records a resource about to be created, before anything is done. Planning a resource that
     * is recorded already (say, again after it was removed) makes it planned again.
     */
    public synchronized void planned(Resource resource) throws IOException {
        put(resource.in(Resource.State.PLANNED));
    }

    /** Records that a planned resource now exists. */
    public synchronized void created(Resource resource) throws IOException {
        put(resource.in(Resource.State.CREATED));
    }

    /** Records that a resource is gone. */
    public synchronized void removed(Resource resource) throws IOException {
        put(resource.in(Resource.State.REMOVED));
    }

    /**
     * Records {@code resource} as planned, creates it, and records it as created. When the
     * creation fails, the resource stays planned: it may exist in part, and teardown removes it.
     */
    public <T> T create(Resource resource, Creation<T> creation) throws Exception {
        planned(resource);
        T result = creation.create();
        created(resource);
        return result;
    }

    /** The step that creates a recorded resource. */
    @FunctionalInterface
    public interface Creation<T> {
        T create() throws Exception;
    }

    private void put(Resource resource) throws IOException {
        List<Resource> resources = new ArrayList<>(document.resources());
        int index = indexOf(resources, resource);
        if (index < 0) {
            if (resource.state() != Resource.State.PLANNED) {
                throw new IllegalStateException(resource.describe() + " was never recorded as planned in " + file);
            }
            resources.add(resource);
        } else {
            resources.set(index, resource);
        }
        Document previous = document;
        document = document.with(resources);
        try {
            save();
        } catch (IOException e) {
            document = previous;
            throw e;
        }
    }

    private static int indexOf(List<Resource> resources, Resource wanted) {
        for (int i = 0; i < resources.size(); i++) {
            if (resources.get(i).sameAs(wanted)) {
                return i;
            }
        }
        return -1;
    }

    private void save() throws IOException {
        try {
            AtomicFile.write(file, ResultJson.mapper().writeValueAsBytes(document));
        } catch (IOException e) {
            throw new TopologyRecordException(file + ": cannot write the topology record: " + e.getMessage(), e);
        }
    }

    /** The JSON form. */
    record Document(int schemaVersion, String run, long pid, String host, Instant created,
            List<Resource> resources) {

        Document {
            resources = resources == null ? null : List.copyOf(resources);
        }

        Document with(List<Resource> newResources) {
            return new Document(schemaVersion, run, pid, host, created, Objects.requireNonNull(newResources));
        }
    }
}
