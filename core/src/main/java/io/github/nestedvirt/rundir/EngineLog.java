package io.github.nestedvirt.rundir;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.result.ResultJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's side of the run directory's progress files: every line for the user goes to
 * {@code log.txt}, and every {@link Progress} event also to {@code events.jsonl}, one JSON object
 * per line ({@code {"time":..., "type":"run"|"info", ...}}), both appended and flushed at once so
 * that a reader polling the files sees them immediately.
 */
public final class EngineLog implements Progress, Closeable {

    private static final ObjectWriter ONE_LINE = ResultJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream log;
    private final OutputStream events;

    private EngineLog(PrintStream log, OutputStream events) {
        this.log = log;
        this.events = events;
    }

    public static EngineLog open(RunDirectory dir) throws IOException {
        PrintStream log = new PrintStream(Files.newOutputStream(dir.logFile(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        OutputStream events = Files.newOutputStream(dir.eventsFile(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new EngineLog(log, events);
    }

    /** The log as a stream, for text printed by others (reports, stack traces). */
    public PrintStream stream() {
        return log;
    }

    @Override
    public synchronized void run(String task, int index, int planned, int cap, Duration elapsed) {
        log.println("[" + task + "] run " + index + " of " + planned + (cap > planned ? " (max " + cap + ")" : ""));
        Map<String, Object> event = event("run");
        event.put("task", task);
        event.put("index", index);
        event.put("planned", planned);
        event.put("cap", cap);
        event.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        append(event);
    }

    @Override
    public synchronized void info(String message) {
        log.println(message);
        Map<String, Object> event = event("info");
        event.put("message", message);
        append(event);
    }

    /** The engine's last event: how it ended. */
    public synchronized void exited(int code) {
        Map<String, Object> event = event("exit");
        event.put("exitCode", code);
        append(event);
    }

    private static Map<String, Object> event(String type) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", Instant.now().toString());
        event.put("type", type);
        return event;
    }

    private void append(Map<String, Object> event) {
        try {
            // one write per line, so a reader never sees half an event followed by another
            events.write((ONE_LINE.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
            events.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to events.jsonl", e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
        events.close();
    }
}
