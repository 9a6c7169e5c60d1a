package io.github.nestedvirt.rundir;

/**
 * A piece of the engine's log and where the next read starts.
 *
 * @param text whole UTF-8 characters only; may end in the middle of a line
 * @param nextOffset the byte offset in {@code log.txt} to read from next time
 */
public record LogChunk(String text, long nextOffset) {
}
