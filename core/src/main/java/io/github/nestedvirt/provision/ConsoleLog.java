package io.github.nestedvirt.provision;

/** Where a guest's serial console is written, and its end: what explains a guest that does not come up. */
public interface ConsoleLog {

    /** For messages: the file, and the host it is on when that is not this machine. */
    String where();

    /**
     * The last {@code lines} lines, control characters (except tab) removed; a short note instead
     * when the log cannot be read.
     */
    String tail(int lines);

    /** The printable end of {@code text}: at most {@code lines} lines. */
    static String printableTail(String text, int lines) {
        java.util.List<String> all = text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", "").lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
