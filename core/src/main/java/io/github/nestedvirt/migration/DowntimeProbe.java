package io.github.nestedvirt.migration;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.OutputListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Downtime as a client of the guest sees it. The guest prints a line every 10 ms into an SSH
 * session the engine holds open, and the engine stamps each line's arrival with its own monotonic
 * clock; the longest silence around a migration is its downtime.
 *
 * <p>The stamps are taken outside on purpose: QEMU stops the guest's clocks together with its
 * CPUs for the switch-over, so a loop stamping time inside the guest would carry on as if nothing
 * happened and miss exactly the gap we want. What is measured here includes the network finding
 * the guest at its new L0 (and TCP retransmitting what was lost meanwhile), which is what a user of
 * the guest lives through.
 */
public final class DowntimeProbe implements AutoCloseable {

    /** How often the guest prints. */
    public static final Duration PERIOD = Duration.ofMillis(10);
    /** POSIX shell; {@code sleep} with a fraction works with GNU coreutils and busybox. */
    static final String TICKER = "while :; do echo .; sleep 0.01; done";

    private final String guest;
    private final List<Long> arrivals = new ArrayList<>();
    private final Thread reader;
    private volatile Exception ended;

    private DowntimeProbe(Host host) {
        this.guest = host.name();
        OutputListener stamp = (stream, line) -> {
            if (stream == OutputListener.Stream.STDOUT) {
                long now = System.nanoTime();
                synchronized (arrivals) {
                    arrivals.add(now);
                    arrivals.notifyAll();
                }
            }
        };
        this.reader = new Thread(() -> {
            try {
                host.run(TICKER, Duration.ofDays(1), stamp);
            } catch (HostException | RuntimeException e) {
                ended = e;
            } catch (InterruptedException e) {
                // closed
            }
            synchronized (arrivals) {
                arrivals.notifyAll();
            }
        }, "nvmx-downtime-probe-" + guest);
        reader.setDaemon(true);
    }

    /** Starts ticking on {@code guest} and returns once the first ticks arrived. */
    public static DowntimeProbe start(Host guest, Duration timeout) throws HostException, InterruptedException {
        DowntimeProbe probe = new DowntimeProbe(guest);
        probe.reader.start();
        probe.awaitTickAfter(System.nanoTime(), timeout);
        return probe;
    }

    /**
     * The longest silence, in milliseconds, between the last tick before {@code fromNanos} and the
     * first tick after {@code untilNanos} (both {@link System#nanoTime()}), waiting up to
     * {@code timeout} for that first tick.
     *
     * @throws HostException when no tick arrives after the migration: the guest does not answer
     */
    public double longestSilenceMillis(long fromNanos, long untilNanos, Duration timeout)
            throws HostException, InterruptedException {
        awaitTickAfter(untilNanos, timeout);
        synchronized (arrivals) {
            return longestGapMillis(arrivals.stream().mapToLong(Long::longValue).toArray(), fromNanos, untilNanos);
        }
    }

    private void awaitTickAfter(long nanos, Duration timeout) throws HostException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            while (arrivals.isEmpty() || arrivals.get(arrivals.size() - 1) <= nanos) {
                long left = deadline - System.nanoTime();
                if (ended != null || left <= 0) {
                    throw new HostException(guest, "the downtime probe got no line for " + timeout.toSeconds()
                            + " s" + (ended == null ? "" : " (its SSH session ended: " + ended.getMessage() + ")")
                            + "; the guest does not answer");
                }
                arrivals.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * The longest gap between consecutive {@code arrivals} (sorted nanoTime stamps) from the last
     * one at or before {@code from} to the first one after {@code until}.
     */
    static double longestGapMillis(long[] arrivals, long from, long until) {
        int first = 0;
        while (first + 1 < arrivals.length && arrivals[first + 1] <= from) {
            first++;
        }
        long longest = 0;
        for (int i = first + 1; i < arrivals.length; i++) {
            longest = Math.max(longest, arrivals[i] - arrivals[i - 1]);
            if (arrivals[i] > until) {
                break;
            }
        }
        return longest / 1e6;
    }

    /** Ends the ticking loop (closing its SSH channel ends it in the guest). */
    @Override
    public void close() {
        reader.interrupt();
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
