package io.github.nestedvirt.provision;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file a guest's serial console is written to ({@code <serial type='file'>}): what the guest's
 * kernel and init printed, the first thing to read when a guest does not come up.
 */
public record SerialLog(Path file) implements ConsoleLog {

    /** Only the end of a long log is read: a tail never needs more. */
    private static final int MAX_READ = 64 * 1024;

    @Override
    public String where() {
        return file.toString();
    }

    @Override
    public String tail(int lines) {
        if (!Files.exists(file)) {
            return "(serial log " + file + " does not exist: the guest never wrote to its console)";
        }
        String text;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - MAX_READ);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(serial log " + file + " cannot be read: " + e.getMessage() + ")";
        }
        String tail = ConsoleLog.printableTail(text, lines);
        if (tail.isEmpty()) {
            return "(serial log " + file + " is empty: the guest never wrote to its console)";
        }
        return tail;
    }
}
