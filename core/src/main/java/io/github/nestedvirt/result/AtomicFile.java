package io.github.nestedvirt.result;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file's content all at once: a reader sees either the old content or the new, never a
 * part, even if the process or the machine dies while writing.
 *
 * <p>The content goes to a temporary file in the same directory (a rename is only atomic within one
 * file system), is forced to disk, and is then renamed over the target. Temporary files are named
 * {@code .<name>.<random>.tmp}; one left behind by a crash is harmless and may be deleted.
 */
public final class AtomicFile {

    /** How temporary files end, so that readers can skip them. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFile() {
    }

    /** What goes into a file, written as a stream so that a large file is never held in memory whole. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code content} to {@code target}, replacing what was there. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** Writes what {@code content} streams to {@code target}, replacing what was there. */
    public static void write(Path target, Content content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the rename itself durable. Linux allows syncing a directory; other systems may not. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows): the rename is atomic all the same, only maybe not yet on disk
        }
    }
}
