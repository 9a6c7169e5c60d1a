package io.github.nestedvirt.output;

/**
 * A tool's output that a parser cannot read, located by source name and line number.
 *
 * <p>The message has the form {@code SOURCE:LINE: what is wrong; what was expected}, the form
 * compilers use, so editors and terminals can jump to the line. It is an {@link IllegalArgumentException}
 * because the input, not the program, is wrong.
 */
public final class UnreadableOutputException extends IllegalArgumentException {

    private final String source;
    private final int line;

    /**
     * @param source the file name (or {@code stdin}) the output came from
     * @param line the 1-based line number, or 0 when the problem is the output as a whole
     * @param message what is wrong and what was expected
     */
    public UnreadableOutputException(String source, int line, String message) {
        super(source + (line > 0 ? ":" + line : "") + ": " + message);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    /** The 1-based line number, or 0 when no single line is at fault. */
    public int line() {
        return line;
    }
}
