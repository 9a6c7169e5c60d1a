package io.github.nestedvirt.bench;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Tails;
import java.util.List;

/**
 * Times a command on the measured host itself, so that SSH latency between the engine and the host
 * never enters a figure.
 *
 * <p>The wrapped command prints one marker line {@code NVMX_TIME <start> <end> <exit status>} at the
 * end of its stdout. The clock is {@code date +%s.%N}; where {@code %N} is not supported (busybox
 * {@code date} prints it literally), both ends fall back to the first field of {@code /proc/uptime}
 * (hundredths of a second), so start and end always come from the same clock. Works in dash, bash
 * and busybox sh.
 */
public final class HostTiming {

    static final String MARKER = "NVMX_TIME ";

    private static final String NOW = "nvmx_now() { nvmx_t=$(date +%s.%N 2>/dev/null); "
            + "case $nvmx_t in ''|*[!0-9.]*) nvmx_t=$(cut -d' ' -f1 /proc/uptime);; esac; echo \"$nvmx_t\"; }; ";

    private HostTiming() {
    }

    /** What the marker line said. */
    public record Timing(double seconds, int exitStatus) {
    }

    /**
     * A command line that runs {@code command} in a subshell between two clock readings.
     *
     * @param command an already quoted command line
     */
    public static String wrap(String command) {
        return NOW + "nvmx_t0=$(nvmx_now); ( " + command + " ); nvmx_rc=$?; nvmx_t1=$(nvmx_now); "
                + "printf '\\n" + MARKER + "%s %s %s\\n' \"$nvmx_t0\" \"$nvmx_t1\" \"$nvmx_rc\"";
    }

    /**
     * Reads the marker line of a wrapped command that ran on {@code hostName}; without one, says
     * that {@code what} ended early and how: an SSH session that ended before the command did has
     * no exit status (-1), so the host went away or stopped answering.
     *
     * @throws BenchmarkFailedException when there is no well-formed marker line
     */
    public static Timing parse(CommandResult result, String hostName, String what) throws BenchmarkFailedException {
        try {
            return parse(result.stdout());
        } catch (IllegalArgumentException e) {
            String how = result.exitStatus() < 0
                    ? "it has no exit status: sshd reported it ended by a signal"
                    : "its shell exited with status " + result.exitStatus();
            throw new BenchmarkFailedException(hostName, what + " ended without its timing line after "
                    + result.wallTime().toSeconds() + " s: " + how + " (" + e.getMessage() + "); its error output:\n"
                    + Tails.of(result.stderr(), 20), e);
        }
    }

    /**
     * Reads the last marker line of a wrapped command's stdout.
     *
     * @throws IllegalArgumentException when there is no well-formed marker line
     */
    public static Timing parse(String stdout) {
        List<String> lines = stdout.lines().filter(line -> line.startsWith(MARKER)).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no timing line '" + MARKER.strip() + "' in the command's output");
        }
        String line = lines.get(lines.size() - 1);
        String[] fields = line.substring(MARKER.length()).strip().split("\\s+");
        try {
            if (fields.length != 3) {
                throw new NumberFormatException("expected 3 fields");
            }
            double seconds = Double.parseDouble(fields[1]) - Double.parseDouble(fields[0]);
            if (seconds < 0) {
                throw new NumberFormatException("end before start");
            }
            return new Timing(seconds, Integer.parseInt(fields[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed timing line '" + line + "': " + e.getMessage(), e);
        }
    }
}
