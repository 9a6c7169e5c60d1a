package io.github.nestedvirt.migration;

import io.github.nestedvirt.stability.KernelLine;
import java.util.List;
import java.util.Optional;

/**
 * A guest kernel's crash as its serial console shows it: the panic (or the first oops, BUG or
 * lockup when it did not get as far as a panic) and the instruction it happened at. What tells a
 * guest that died on its new L0 apart from one that only lost its network.
 *
 * @param message the panic line, e.g. {@code Kernel panic - not syncing: Fatal exception in interrupt}
 * @param at the last {@code RIP:} line before it, or empty when the console shows none
 */
public record KernelCrash(String message, String at) {

    /** The crash in {@code console}, the text of a serial log; empty when its kernel did not crash. */
    public static Optional<KernelCrash> in(String console) {
        List<String> lines = console.lines().map(KernelCrash::withoutTimestamp).toList();
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Kernel panic")) {
                found = i;
                break;
            }
            if (found < 0 && !lines.get(i).startsWith("Call Trace") && KernelLine.parse(lines.get(i)).isFatal()) {
                found = i;
            }
        }
        if (found < 0) {
            return Optional.empty();
        }
        String at = "";
        for (int i = found; i >= 0 && at.isEmpty(); i--) {
            if (lines.get(i).startsWith("RIP:")) {
                at = lines.get(i);
            }
        }
        return Optional.of(new KernelCrash(lines.get(found), at));
    }

    /** For a message: the panic, and where when known. */
    public String describe() {
        return at.isEmpty() ? "'" + message + "'" : "'" + message + "' at '" + at + "'";
    }

    /** {@code [  207.170698] text} printed as {@code text}: the time since boot says nothing here. */
    private static String withoutTimestamp(String line) {
        String stripped = line.strip();
        if (stripped.startsWith("[")) {
            int end = stripped.indexOf(']');
            if (end > 0) {
                return stripped.substring(end + 1).strip();
            }
        }
        return stripped;
    }
}
