package io.github.nestedvirt.stability;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.nestedvirt.result.Level;
import java.time.Instant;
import java.util.List;

/**
 * How one guest did during a stability run.
 *
 * @param name the guest's name in the plan (or the topology)
 * @param level its nesting level
 * @param host the host's name, e.g. {@code root@192.168.122.10}
 * @param healthy true when no probe failed and no reboot or serious kernel error was seen
 * @param healthySeconds from the start of the run to the last probe that found it healthy
 *     (before its first failure); 0 when it never answered
 * @param probesOk probes that got an answer
 * @param probesFailed probes that got none, or an answer that was not the probe's
 * @param firstFailure when it stopped being healthy, and why; null while healthy
 * @param lastHealthy the last probe before the first failure that found it healthy; null if none did
 * @param lastAnswer the last probe that got an answer at all; null if none did
 * @param reboots how often its uptime went down between two probes
 * @param kernelErrors new kernel log lines at level err or worse or with a trouble message
 *     ({@link KernelLine#TROUBLE}) since the first probe
 * @param kernelErrorLines the first few of them, escaped
 * @param notes what limited the probe, e.g. a kernel log that could not be read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestStability(String name, Level level, String host, boolean healthy, double healthySeconds,
        int probesOk, int probesFailed, Failure firstFailure, Instant lastHealthy, Instant lastAnswer, int reboots,
        int kernelErrors, List<String> kernelErrorLines, List<String> notes) {

    public GuestStability {
        kernelErrorLines = List.copyOf(kernelErrorLines);
        notes = List.copyOf(notes);
    }

    /**
     * The moment a guest stopped being healthy.
     *
     * @param at when the probe that found it started
     * @param secondsIntoRun the same, counted from the start of the run
     * @param reason what was wrong, e.g. {@code no answer within 5 s} or {@code rebooted: ...}
     */
    public record Failure(Instant at, double secondsIntoRun, String reason) {
    }
}
