package io.github.nestedvirt.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The health probe run in every guest, and the reader of what it prints. One command per probe,
 * so a probe is one round trip: the uptime, then the last {@value #DMESG_LINES} lines of
 * {@code dmesg -r}, or why dmesg could not be read (e.g. {@code dmesg_restrict} for a non-root user).
 */
public final class ProbeOutput {

    /** How many of the newest kernel log lines each probe reads: bounds what crosses the network. */
    public static final int DMESG_LINES = 1000;

    /** /bin/sh (busybox ash included) command line of the probe. */
    public static final String COMMAND = "echo \"NVMX-UPTIME $(cat /proc/uptime)\"; "
            + "if nvmx_log=$(dmesg -r 2>&1); then echo NVMX-DMESG; printf '%s\\n' \"$nvmx_log\" | tail -n "
            + DMESG_LINES + "; else echo \"NVMX-DMESG-UNREADABLE $(printf '%s' \"$nvmx_log\" | head -n 1)\"; fi";

    private ProbeOutput() {
    }

    /**
     * What one probe saw.
     *
     * @param uptimeSeconds the first field of {@code /proc/uptime}
     * @param kernelLog the newest kernel log lines, oldest first; empty when unreadable
     * @param kernelLogProblem why the kernel log could not be read, or null
     */
    public record Reading(double uptimeSeconds, List<String> kernelLog, String kernelLogProblem) {

        public Reading {
            kernelLog = List.copyOf(kernelLog);
        }
    }

    /**
     * Reads the probe's stdout.
     *
     * @throws IllegalArgumentException when it is not the probe's output (no uptime): the guest
     *     answered, but not like a Linux guest with {@code /proc} mounted
     */
    public static Reading parse(String stdout) {
        Double uptime = null;
        String problem = null;
        List<String> log = new ArrayList<>();
        boolean inLog = false;
        for (String line : stdout.split("\n", -1)) {
            if (inLog) {
                log.add(line);
            } else if (line.startsWith("NVMX-UPTIME ")) {
                uptime = uptime(line.substring("NVMX-UPTIME ".length()).strip()).orElse(null);
            } else if (line.equals("NVMX-DMESG")) {
                inLog = true;
            } else if (line.startsWith("NVMX-DMESG-UNREADABLE")) {
                problem = "dmesg failed: " + line.substring("NVMX-DMESG-UNREADABLE".length()).strip();
            }
        }
        if (uptime == null) {
            throw new IllegalArgumentException("no uptime in the probe's output (is /proc mounted?): "
                    + stdout.lines().findFirst().orElse("(no output)"));
        }
        // printf's final newline leaves one empty element at the end
        while (!log.isEmpty() && log.get(log.size() - 1).isEmpty()) {
            log.remove(log.size() - 1);
        }
        return new Reading(uptime, log, problem);
    }

    private static Optional<Double> uptime(String proc) {
        String first = proc.split("\\s+")[0];
        try {
            return Optional.of(Double.parseDouble(first));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
