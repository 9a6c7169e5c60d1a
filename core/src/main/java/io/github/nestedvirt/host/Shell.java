package io.github.nestedvirt.host;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds {@code /bin/sh} command lines from user values (paths, names, options) so that no value
 * can inject shell syntax: every word is single-quoted, and a single quote inside a word is
 * written as {@code '\''}.
 */
public final class Shell {

    private Shell() {
    }

    /** One shell word that stands for exactly {@code value}, whatever characters it holds. */
    public static String quote(String value) {
        if (!value.isEmpty() && value.chars().allMatch(Shell::isSafe)) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** A command line made of the given words, each quoted. */
    public static String command(String... words) {
        return command(Arrays.asList(words));
    }

    /** A command line made of the given words, each quoted. */
    public static String command(List<String> words) {
        return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    private static boolean isSafe(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '/' || c == '.' || c == '_' || c == '-' || c == '=' || c == ',' || c == ':' || c == '@' || c == '+';
    }
}
