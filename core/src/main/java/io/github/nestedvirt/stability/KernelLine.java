package io.github.nestedvirt.stability;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code dmesg -r} (raw: {@code <6>[   12.345678] text}), as printed by util-linux and
 * by busybox alike. The raw form is read because it is the only one both print with the level.
 *
 * @param level syslog level 0 (emerg) to 7 (debug); 6 (info) when the line has no prefix
 * @param text the line without its level prefix, timestamp kept
 */
public record KernelLine(int level, String text) {

    /** syslog's {@code err}: this level and the ones below it (more severe) count as kernel errors. */
    public static final int ERR = 3;
    /** syslog's {@code crit}: this level or worse makes the guest unhealthy. */
    public static final int CRIT = 2;

    /**
     * What the kernel prints when it is in trouble whatever the level: oopses, BUGs (including soft
     * lockups), panics, hung tasks and the stack traces that follow them. {@code Kernel panic} and not
     * {@code panic} alone, which would match {@code panic=1} on every boot's command line.
     */
    static final Pattern TROUBLE = Pattern.compile(
            "BUG:|Oops|Kernel panic|soft lockup|hard LOCKUP|hung task|blocked for more than \\d+ seconds|Call Trace");

    private static final Pattern RAW = Pattern.compile("^<(\\d+)>(.*)$");
    private static final int INFO = 6;

    /** Reads one raw line; a line without {@code <N>} (e.g. a continuation) is taken as info. */
    public static KernelLine parse(String line) {
        Matcher matcher = RAW.matcher(line);
        if (matcher.matches()) {
            // util-linux adds the facility (<14> = user.info): the level is the low three bits
            return new KernelLine(Integer.parseInt(matcher.group(1)) & 7, matcher.group(2));
        }
        return new KernelLine(INFO, line);
    }

    /** A kernel error: level err or worse, or a trouble message at any level. */
    public boolean isError() {
        return level <= ERR || isTrouble();
    }

    /**
     * An error a guest is not healthy after: crit or worse, or a trouble message. Plain err lines
     * (a driver complaining about a missing firmware file) are counted and shown, but happen on
     * healthy guests too.
     */
    public boolean isFatal() {
        return level <= CRIT || isTrouble();
    }

    private boolean isTrouble() {
        return TROUBLE.matcher(text).find();
    }

    /**
     * The line fit for a report and a terminal: control characters written as {@code \xNN},
     * at most 300 characters.
     */
    public String escaped() {
        StringBuilder out = new StringBuilder("<").append(level).append('>');
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= 300) {
            out.setLength(300);
            out.append("...");
        }
        return out.toString();
    }
}
