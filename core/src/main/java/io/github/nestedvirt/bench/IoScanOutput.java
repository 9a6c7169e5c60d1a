package io.github.nestedvirt.bench;

import java.util.List;

/** Pure parsers for the two passes of {@link IoScan}. */
public final class IoScanOutput {

    private IoScanOutput() {
    }

    /**
     * Regular files found and their bytes, from {@code find PATHS -type f -exec wc -c {} +}.
     *
     * <p>{@code wc -c} prints {@code <bytes> <path>} per file and, when one invocation got several
     * files, a line {@code <bytes> total}. Paths from {@code find} always start with the search path,
     * so a bare {@code total} is always that summary line. Files {@code wc} could not open are absent.
     */
    public record Sizes(long files, long bytes) {
    }

    /** What the timed pass reported: files hashed, and files it could not read. */
    public record Hashing(long files, long permissionDenied, long otherErrors) {
    }

    public static Sizes parseSizes(String wcOutput) {
        long files = 0;
        long bytes = 0;
        for (String line : wcOutput.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] fields = trimmed.split("\\s+", 2);
            if (fields.length == 2 && fields[1].equals("total")) {
                continue;
            }
            try {
                bytes += Long.parseLong(fields[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a 'wc -c' line: '" + line + "'", e);
            }
            files++;
        }
        return new Sizes(files, bytes);
    }

    /** Reads the {@code NVMX_HASHED}, {@code NVMX_DENIED} and {@code NVMX_OTHER_ERRORS} lines. */
    public static Hashing parseHashing(String stdout) {
        List<String> lines = stdout.lines().map(String::strip).toList();
        return new Hashing(count(lines, "NVMX_HASHED"), count(lines, "NVMX_DENIED"), count(lines, "NVMX_OTHER_ERRORS"));
    }

    private static long count(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key + " ")) {
                try {
                    return Long.parseLong(line.substring(key.length() + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed line '" + line + "'", e);
                }
            }
        }
        throw new IllegalArgumentException("no line '" + key + "' in the scan's output");
    }
}
