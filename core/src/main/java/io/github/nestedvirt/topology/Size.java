package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory or disk size in bytes, written as {@code 4G}, {@code 4GiB}, {@code 4096M} or a plain
 * number of bytes. Suffixes are binary (K = 1024), as in libvirt and qemu-img.
 *
 * @param bytes the size in bytes, more than zero
 */
public record Size(long bytes) {

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*(?:([KMGT])(?:i?B)?|B)?", Pattern.CASE_INSENSITIVE);

    public Size {
        if (bytes <= 0) {
            throw new IllegalArgumentException("must be more than 0 bytes, got " + bytes);
        }
    }

    public static Size gib(long gib) {
        return new Size(gib << 30);
    }

    public static Size mib(long mib) {
        return new Size(mib << 20);
    }

    /** Parses {@code 4G}, {@code 4 GiB}, {@code 4096M}, {@code 512K}, {@code 1T} or bytes. */
    @JsonCreator
    public static Size parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 4G, 4096M or a number of bytes");
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        };
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large", e);
        }
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return new Size(number << shift);
    }

    @JsonCreator
    static Size ofBytes(long bytes) {
        return new Size(bytes);
    }

    /** Size in KiB, rounded up: the unit libvirt's {@code <memory unit='KiB'>} uses. */
    public long kib() {
        return (bytes + 1023) >> 10;
    }

    /** Shortest exact form: {@code 4G}, {@code 1536M}, or bytes. */
    @JsonValue
    public String text() {
        String[] units = {"T", "G", "M", "K"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes % (1L << shifts[i]) == 0) {
                return (bytes >> shifts[i]) + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** For people: {@code 4 GiB}, {@code 1536 MiB}, {@code 1000 bytes}. */
    @Override
    public String toString() {
        String text = text();
        char unit = text.charAt(text.length() - 1);
        return Character.isDigit(unit) ? text + " bytes" : text.substring(0, text.length() - 1) + " " + unit + "iB";
    }
}
