package io.github.nestedvirt.stability;

import io.github.nestedvirt.result.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The health record of one guest, fed with its probes in order. Pure: it holds no connection and
 * reads no clock, so sequences of probe outputs can be checked on their own.
 *
 * <p>Kernel log lines are new when they follow the newest line the previous probe saw; when that
 * line is gone (the ring buffer wrapped, or the guest rebooted) every line read is new.
 */
public final class GuestHealth {

    /** How many kernel error lines are kept for the report; all are counted. */
    static final int KEPT_ERROR_LINES = 5;

    private final String name;
    private final Level level;
    private final String host;
    private final Instant runStart;
    private int probesOk;
    private int probesFailed;
    private int reboots;
    private int kernelErrors;
    private final List<String> kernelErrorLines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private GuestStability.Failure firstFailure;
    private Instant lastHealthy;
    private Instant lastAnswer;
    private Double lastUptime;
    private List<String> lastLog;

    public GuestHealth(String name, Level level, String host, Instant runStart) {
        this.name = name;
        this.level = level;
        this.host = host;
        this.runStart = runStart;
    }

    public String name() {
        return name;
    }

    /** True until the first failure. */
    public boolean healthy() {
        return firstFailure == null;
    }

    /** A probe that started at {@code at} and got the probe's output. */
    public void answered(Instant at, ProbeOutput.Reading reading) {
        probesOk++;
        lastAnswer = at;
        String trouble = null;
        if (lastUptime != null && reading.uptimeSeconds() < lastUptime) {
            reboots++;
            trouble = String.format("rebooted: uptime went down from %.0f s to %.0f s", lastUptime,
                    reading.uptimeSeconds());
        }
        lastUptime = reading.uptimeSeconds();
        if (reading.kernelLogProblem() != null) {
            if (!notes.contains(reading.kernelLogProblem())) {
                notes.add(reading.kernelLogProblem());
            }
        } else {
            for (String raw : newLines(reading.kernelLog())) {
                KernelLine line = KernelLine.parse(raw);
                if (line.isError()) {
                    kernelErrors++;
                    if (kernelErrorLines.size() < KEPT_ERROR_LINES) {
                        kernelErrorLines.add(line.escaped());
                    }
                    if (line.isFatal() && trouble == null) {
                        trouble = "kernel error: " + line.escaped();
                    }
                }
            }
            lastLog = reading.kernelLog();
        }
        if (trouble != null) {
            fail(at, trouble);
        } else if (healthy()) {
            lastHealthy = at;
        }
    }

    /** A probe that started at {@code at} and got no usable answer. */
    public void failed(Instant at, String reason) {
        probesFailed++;
        fail(at, reason);
    }

    private void fail(Instant at, String reason) {
        if (firstFailure == null) {
            firstFailure = new GuestStability.Failure(at, secondsSinceStart(at), reason);
        }
    }

    /** The lines after the newest one seen before; none on the first reading (the baseline). */
    private List<String> newLines(List<String> log) {
        if (lastLog == null) {
            return List.of();
        }
        if (lastLog.isEmpty()) {
            return log;
        }
        int seen = log.lastIndexOf(lastLog.get(lastLog.size() - 1));
        return seen < 0 ? log : log.subList(seen + 1, log.size());
    }

    /** The record so far. */
    public GuestStability result() {
        double healthySeconds = lastHealthy == null ? 0 : secondsSinceStart(lastHealthy);
        return new GuestStability(name, level, host, healthy() && probesOk > 0, healthySeconds, probesOk,
                probesFailed, firstFailure, lastHealthy, lastAnswer, reboots, kernelErrors, kernelErrorLines, notes);
    }

    private double secondsSinceStart(Instant at) {
        return Duration.between(runStart, at).toMillis() / 1000.0;
    }
}
