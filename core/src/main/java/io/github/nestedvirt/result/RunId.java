package io.github.nestedvirt.result;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Run ids: the UTC start time to the second plus a short random suffix, e.g. {@code 20250131-120000-3fa9c1}.
 *
 * <p>They sort by start time as plain strings, and contain only digits, lower-case hex letters and
 * {@code -}, so they are safe as directory names everywhere. The suffix (24 random bits) keeps two
 * runs started in the same second apart.
 */
public final class RunId {

    /** What a run id looks like. */
    public static final Pattern FORMAT = Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunId() {
    }

    /** A new id for a run that started at {@code start}. */
    public static String next(Instant start) {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return TIME.format(start) + "-" + HexFormat.of().formatHex(suffix);
    }

    /** Whether {@code id} has the form of a run id. */
    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    /**
     * Returns {@code id} if it has the form of a run id.
     *
     * @throws IllegalArgumentException naming the bad id otherwise: it could escape the results directory
     */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("run id: expected yyyyMMdd-HHmmss-xxxxxx (UTC start time and"
                    + " 6 hex digits), got '" + id + "'");
        }
        return id;
    }
}
