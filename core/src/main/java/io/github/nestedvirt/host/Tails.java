package io.github.nestedvirt.host;

import java.util.List;

/** The end of a tool's output, for error messages that show what went wrong without flooding. */
public final class Tails {

    private Tails() {
    }

    /** The last {@code lines} non-blank lines of {@code text}, or "(no output)". */
    public static String of(String text, int lines) {
        List<String> all = text == null ? List.of() : text.lines().filter(line -> !line.isBlank()).toList();
        if (all.isEmpty()) {
            return "(no output)";
        }
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
