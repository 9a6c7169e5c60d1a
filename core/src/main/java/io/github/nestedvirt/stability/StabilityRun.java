package io.github.nestedvirt.stability;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.CommandTimeoutException;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.result.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Seed item 6, many nested guests: probes every guest periodically for a given duration and
 * tells which stayed healthy for how long. A probe is one command per guest ({@link ProbeOutput#COMMAND}):
 * it must answer within the probe timeout, its uptime must not go down (a reboot), and its kernel
 * log must not gain serious errors ({@link KernelLine#isFatal()}).
 *
 * <p>Rounds start every {@code intervalSeconds} from the start, the last one at the planned end;
 * within a round the guests are probed in parallel, at most {@code parallelism} at a time. A
 * guest keeps being probed after it failed, so the report also says whether it answered again.
 *
 * <p>Interrupting the calling thread stops the run at once: the probes in flight are abandoned
 * (not counted), the report of what was seen is returned with {@code interrupted} set, and the
 * thread's interrupt flag is set again for the caller to see.
 */
public final class StabilityRun {

    /** Time a probe may overrun its own timeout before it is abandoned (the host's timeout fires first). */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Parameters parameters;

    /**
     * @param seconds how long to watch the guests
     * @param intervalSeconds time between the starts of two probe rounds
     * @param probeTimeoutSeconds how long one probe may take; at most {@code intervalSeconds}
     * @param parallelism guests probed at the same time at most
     */
    public record Parameters(int seconds, int intervalSeconds, int probeTimeoutSeconds, int parallelism) {

        public Parameters {
            if (seconds < 1) {
                throw new IllegalArgumentException("seconds: must be at least 1, got " + seconds);
            }
            if (intervalSeconds < 1) {
                throw new IllegalArgumentException("intervalSeconds: must be at least 1, got " + intervalSeconds);
            }
            if (probeTimeoutSeconds < 1 || probeTimeoutSeconds > intervalSeconds) {
                throw new IllegalArgumentException("probeTimeoutSeconds: must be from 1 to intervalSeconds ("
                        + intervalSeconds + "), so that a round ends before the next one starts; got "
                        + probeTimeoutSeconds);
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism: must be at least 1, got " + parallelism);
            }
        }

        /** Ten minutes, a probe every 30 s with 20 s to answer, 8 guests at a time. */
        public static Parameters defaults() {
            return fromPlan(null, null, null, null);
        }

        /** The keys of a plan entry (and of a Pipeline step); every key is optional. */
        @JsonCreator
        public static Parameters fromPlan(
                @JsonPropertyDescription("How long the guests are watched. Default: 600.")
                @JsonProperty("seconds") Integer seconds,
                @JsonPropertyDescription("Time between two probe rounds over all guests. Default: 30.")
                @JsonProperty("intervalSeconds") Integer intervalSeconds,
                @JsonPropertyDescription("How long one guest may take to answer a probe before it counts"
                        + " as unresponsive. Default: 20, at most the interval.")
                @JsonProperty("probeTimeoutSeconds") Integer probeTimeoutSeconds,
                @JsonPropertyDescription("Guests probed at the same time. Default: 8.")
                @JsonProperty("parallelism") Integer parallelism) {
            int interval = intervalSeconds == null ? 30 : intervalSeconds;
            return new Parameters(seconds == null ? 600 : seconds, interval,
                    probeTimeoutSeconds == null ? Math.min(20, interval) : probeTimeoutSeconds,
                    parallelism == null ? 8 : parallelism);
        }

        /** Rounds in a run that is not stopped early: one at the start, then one per interval. */
        public int rounds() {
            return seconds / intervalSeconds + 1;
        }
    }

    /**
     * A guest to watch.
     *
     * @param name its name in the plan or the topology
     * @param level its nesting level, for the measurements
     * @param host how to run the probe in it; not closed by the run
     */
    public record Guest(String name, Level level, Host host) {

        public Guest {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(host, "host");
        }
    }

    public StabilityRun(Parameters parameters) {
        this.parameters = parameters;
    }

    /**
     * Watches the guests for the planned duration (or until interrupted).
     *
     * @param guests at least one
     */
    public StabilityReport run(List<Guest> guests, Progress progress) {
        if (guests.isEmpty()) {
            throw new IllegalArgumentException("hosts: give at least one guest to watch");
        }
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        List<GuestHealth> health = guests.stream()
                .map(g -> new GuestHealth(g.name(), g.level(), g.host().name(), start)).toList();
        List<Double> roundSeconds = new ArrayList<>();
        // per guest: a probe thread is still inside the host's call (e.g. abandoned, but not yet returned)
        List<AtomicBoolean> probing = guests.stream().map(g -> new AtomicBoolean()).toList();
        int rounds = parameters.rounds();
        boolean interrupted = false;
        ExecutorService probes = Executors.newFixedThreadPool(Math.min(parameters.parallelism(), guests.size()),
                runnable -> {
                    Thread thread = new Thread(runnable, "stability-probe");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            for (int round = 0; round < rounds; round++) {
                long due = startNanos + TimeUnit.SECONDS.toNanos((long) round * parameters.intervalSeconds());
                TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
                progress.run(StabilityReport.BENCHMARK, round + 1, rounds, rounds,
                        Duration.ofNanos(System.nanoTime() - startNanos));
                long roundStart = System.nanoTime();
                probeRound(guests, health, probing, probes, progress, start.plusNanos(roundStart - startNanos));
                roundSeconds.add((System.nanoTime() - roundStart) / 1e9);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            probes.shutdownNow();
        }
        Instant end = start.plusNanos(System.nanoTime() - startNanos);
        StabilityReport report = new StabilityReport(start, end, parameters.seconds(), parameters.intervalSeconds(),
                parameters.probeTimeoutSeconds(), roundSeconds, interrupted,
                health.stream().map(GuestHealth::result).toList());
        progress.info(String.format("stability: %d of %d guests healthy after %.0f s%s",
                report.healthyGuests().size(), guests.size(), (System.nanoTime() - startNanos) / 1e9,
                interrupted ? " (interrupted)" : ""));
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return report;
    }

    /** Probes every guest once, in parallel, and records what each answered. */
    private void probeRound(List<Guest> guests, List<GuestHealth> health, List<AtomicBoolean> probing,
            ExecutorService probes, Progress progress, Instant at) throws InterruptedException {
        List<Future<ProbeOutput.Reading>> answers = new ArrayList<>();
        for (int i = 0; i < guests.size(); i++) {
            Host host = guests.get(i).host();
            AtomicBoolean busy = probing.get(i);
            // a probe stuck in a call that ignores interrupts is not joined by a second one
            answers.add(busy.get() ? null : probes.submit(() -> {
                busy.set(true);
                try {
                    return probe(host);
                } finally {
                    busy.set(false);
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(parameters.probeTimeoutSeconds()) + GRACE.toNanos();
        for (int i = 0; i < guests.size(); i++) {
            GuestHealth guest = health.get(i);
            boolean wasHealthy = guest.healthy();
            Future<ProbeOutput.Reading> answer = answers.get(i);
            try {
                if (answer == null) {
                    guest.failed(at, "the previous probe has still not returned");
                } else {
                    guest.answered(at, answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
            } catch (InterruptedException e) {
                answers.stream().filter(Objects::nonNull).forEach(a -> a.cancel(true));
                throw e;
            } catch (TimeoutException e) {
                answer.cancel(true);
                guest.failed(at, "no answer within " + parameters.probeTimeoutSeconds() + " s");
            } catch (ExecutionException e) {
                guest.failed(at, e.getCause() instanceof CommandTimeoutException
                        ? "no answer within " + parameters.probeTimeoutSeconds() + " s" : reason(e.getCause()));
            }
            if (wasHealthy && !guest.healthy()) {
                GuestStability.Failure failure = guest.result().firstFailure();
                progress.info(String.format("stability: %s unhealthy at %.1f s: %s", guest.name(),
                        failure.secondsIntoRun(), failure.reason()));
            }
        }
    }

    private ProbeOutput.Reading probe(Host host) throws HostException, InterruptedException {
        CommandResult result = host.run(ProbeOutput.COMMAND, Duration.ofSeconds(parameters.probeTimeoutSeconds()));
        if (!result.succeeded()) {
            throw new IllegalStateException("the probe exited with status " + result.exitStatus() + ": "
                    + result.stderr().strip().lines().reduce((a, b) -> b).orElse("(no error output)"));
        }
        return ProbeOutput.parse(result.stdout());
    }

    private static String reason(Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // the first line says what happened; host exceptions may append command output
        return message.lines().findFirst().orElse(message);
    }
}
