package io.github.nestedvirt.output;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The lines of a tool's output as a person would read them: ANSI colour and cursor codes removed,
 * Windows and old Mac line ends accepted, a leading byte order mark dropped. Line {@code n} of the
 * file is element {@code n - 1}, so error messages can name the line a user sees in an editor.
 */
public final class OutputLines {

    /** CSI sequences ({@code ESC [ ... letter}: colours, cursor moves) and two-byte escapes. */
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_]");

    private OutputLines() {
    }

    /** Splits {@code text} into lines without colour codes or trailing carriage returns. */
    public static List<String> of(String text) {
        String clean = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return clean.lines().map(OutputLines::withoutAnsi).toList();
    }

    /** {@code line} without ANSI escape sequences, e.g. the colour around {@code PASS}. */
    public static String withoutAnsi(String line) {
        return line.indexOf('\u001B') < 0 ? line : ANSI.matcher(line).replaceAll("");
    }
}
