package io.github.nestedvirt.rundir;

import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.result.AtomicFile;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.ResultStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory through which a caller (the Jenkins step, {@code nvmx attach}) and a detached
 * engine process talk, so that either may go away and come back: the caller writes
 * {@code spec.json} (and secrets), the engine writes {@code pid}, appends to {@code log.txt} and
 * {@code events.jsonl}, keeps {@code topology.json} (the lifecycle's write-ahead record), and
 * writes {@code result.json} and {@code exit} atomically at the end. Reading needs nothing but the
 * files and the process table.
 */
public final class RunDirectory {

    public static final String SPEC = "spec.json";
    public static final String LOG = "log.txt";
    public static final String EVENTS = "events.jsonl";
    public static final String RESULT = ResultStore.RESULT_FILE;
    public static final String EXIT = "exit";
    public static final String PID = "pid";
    public static final String JUNIT = "junit.xml";
    public static final String SECRETS = "secrets";

    /** Secret names become file names: nothing that could leave the secrets directory. */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Creates the run directory (0700), or takes an empty existing one; refuses one that already holds a request. */
    public static RunDirectory create(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (Files.exists(dir.resolve(SPEC))) {
            throw new FileAlreadyExistsException(dir.resolve(SPEC).toString(), null,
                    "this run directory was used already; give each step its own directory");
        }
        return new RunDirectory(dir);
    }

    /** An existing run directory. */
    public static RunDirectory open(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such run directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir + ": not a run directory");
        }
        return new RunDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    public Path specFile() {
        return dir.resolve(SPEC);
    }

    public Path logFile() {
        return dir.resolve(LOG);
    }

    public Path eventsFile() {
        return dir.resolve(EVENTS);
    }

    public Path topologyFile() {
        return dir.resolve(TopologyRecord.FILE_NAME);
    }

    public Path resultFile() {
        return dir.resolve(RESULT);
    }

    public Path exitFile() {
        return dir.resolve(EXIT);
    }

    public Path pidFile() {
        return dir.resolve(PID);
    }

    /** kvm-unit-tests results as JUnit XML for Jenkins' {@code junit} step, when the step wrote one. */
    public Path junitFile() {
        return dir.resolve(JUNIT);
    }

    public void writeRequest(StepRequest request) throws IOException {
        AtomicFile.write(specFile(), ResultJson.mapper().writeValueAsBytes(request));
    }

    public StepRequest readRequest() throws IOException {
        if (!Files.exists(specFile())) {
            throw new NoSuchFileException(specFile().toString(), null,
                    "no request in this run directory; the caller writes spec.json before starting the engine");
        }
        try {
            return ResultJson.mapper().readValue(specFile().toFile(), StepRequest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(specFile() + ": not a step request ({\"step\": NAME, \"arguments\": {...}}): "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes a secret (e.g. an SSH private key) to {@code secrets/NAME}, readable by this user only
     * from the moment it exists. Pass its path to the engine, never its content.
     */
    public Path writeSecret(String name, byte[] content) throws IOException {
        if (!SECRET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("secret name '" + name + "': use letters, digits, '.', '_' and '-' only");
        }
        Path secrets = dir.resolve(SECRETS);
        Files.createDirectories(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = secrets.resolve(name);
        Files.deleteIfExists(file);
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        return file;
    }

    /** Deletes every secret and the secrets directory; nothing to do when there is none. */
    public void deleteSecrets() throws IOException {
        Path secrets = dir.resolve(SECRETS);
        if (!Files.exists(secrets)) {
            return;
        }
        try (Stream<Path> files = Files.walk(secrets)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Reads {@code log.txt} from {@code offset}, at most {@code maxBytes}, ending before a UTF-8
     * character that is not complete yet (still being written, or cut by the limit).
     */
    public LogChunk readLog(long offset, int maxBytes) throws IOException {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("maxBytes: must be at least 4 (one UTF-8 character), got " + maxBytes);
        }
        if (!Files.exists(logFile())) {
            return new LogChunk("", offset);
        }
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(logFile(), StandardOpenOption.READ)) {
            long available = Math.max(0, channel.size() - offset);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(available, maxBytes));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // read until full or at the end
            }
            bytes = java.util.Arrays.copyOf(buffer.array(), buffer.position());
        }
        int complete = completeUtf8Length(bytes);
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes, 0, complete)).toString();
        return new LogChunk(text, offset + complete);
    }

    /** The length of {@code bytes} without a trailing, incomplete UTF-8 sequence. */
    static int completeUtf8Length(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(4, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: its lead is further back
            }
            int length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return length > back ? n - back : n;
        }
        return n; // only continuation bytes: not UTF-8 anyway, let the decoder replace them
    }

    /** What the files and the process table say about the engine. */
    public EngineState state() throws IOException {
        OptionalInt exit = readExit();
        Optional<PidRecord> pid = readPid();
        OptionalLong pidValue = pid.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
        if (exit.isPresent()) {
            return new EngineState(EngineState.Status.EXITED, pidValue, exit);
        }
        if (pid.isEmpty()) {
            return new EngineState(EngineState.Status.NOT_STARTED, pidValue, exit);
        }
        if (pid.get().alive()) {
            return new EngineState(EngineState.Status.RUNNING, pidValue, exit);
        }
        exit = readExit(); // it may have written exit and ended between the two looks
        return new EngineState(exit.isPresent() ? EngineState.Status.EXITED : EngineState.Status.VANISHED, pidValue, exit);
    }

    /** A sentence for the user about {@code state}, saying what to do where something is wrong. */
    public String describe(EngineState state) {
        return switch (state.status()) {
            case NOT_STARTED -> "the engine has not started in " + dir + " (no " + PID + " file yet)";
            case RUNNING -> "the engine (pid " + state.pid().getAsLong() + ") is running in " + dir;
            case EXITED -> "the engine exited with code " + state.exitCode().getAsInt() + "; its log is " + logFile();
            case VANISHED -> "the engine (pid " + state.pid().getAsLong() + ") is gone without writing " + exitFile()
                    + ": it was killed (SIGKILL, out of memory) or the machine restarted. "
                    + (Files.exists(topologyFile()) ? "Guests it created may be left: run 'nvmx teardown " + dir + "'. "
                            : "Processes it started on the measured host may be left. ")
                    + "Its log is " + logFile();
        };
    }

    /** Written by the engine as it starts: its pid and start time, so a reused pid is not taken for it. */
    public void writePid(ProcessHandle process) throws IOException {
        String started = process.info().startInstant().map(Instant::toString).orElse("");
        AtomicFile.write(pidFile(), (process.pid() + "\n" + started + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Written by the engine last of all. */
    public void writeExit(int code) throws IOException {
        AtomicFile.write(exitFile(), (code + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public void writeResult(byte[] json) throws IOException {
        AtomicFile.write(resultFile(), json);
    }

    private OptionalInt readExit() throws IOException {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(exitFile()).trim()));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (NumberFormatException e) {
            throw new IOException(exitFile() + ": not an exit code: " + e.getMessage(), e);
        }
    }

    private Optional<PidRecord> readPid() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            Instant started = lines.size() > 1 && !lines.get(1).isBlank() ? Instant.parse(lines.get(1).trim()) : null;
            return Optional.of(new PidRecord(Long.parseLong(lines.get(0).trim()), started));
        } catch (RuntimeException e) {
            throw new IOException(pidFile() + ": not a pid file (pid, then start time): " + e.getMessage(), e);
        }
    }

    private record PidRecord(long pid, Instant started) {

        boolean alive() {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty() || !process.get().isAlive()) {
                return false;
            }
            // a pid reused by another process after the engine died has another start time
            Optional<Instant> start = process.get().info().startInstant();
            return started == null || start.isEmpty() || start.get().equals(started);
        }
    }
}
