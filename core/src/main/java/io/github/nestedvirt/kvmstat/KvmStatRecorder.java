package io.github.nestedvirt.kvmstat;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts a hypervisor's KVM events while a benchmark runs on a level above it: {@code kvm_stat} where
 * it is installed and works, else KVM's debugfs counters, else the kvm tracepoints in tracefs. Each
 * source that cannot be used is recorded with the reason in its own words, so a result without exit
 * rates says why.
 *
 * <p>Whatever it starts on the hypervisor ends in {@link #stop} (or {@link #close}), also when the
 * benchmark failed or its thread was interrupted: call it in a {@code finally} or use try-with-resources.
 */
public final class KvmStatRecorder implements AutoCloseable {

    private final Host host;
    private final Level level;
    private final List<String> notes = new ArrayList<>();
    private ExitSource source;
    private long started;
    private HypervisorExits result;

    private KvmStatRecorder(Host host, Level level) {
        this.host = host;
        this.level = level;
    }

    /** Starts counting on {@code host} with the first source that works there. */
    public static KvmStatRecorder start(Host host, Level level, KvmStatSettings settings) throws InterruptedException {
        KvmStatRecorder recorder = new KvmStatRecorder(host, level);
        recorder.startFirstOf(List.of(new KvmStatTool(host, settings), new DebugfsCounters(host),
                new TracefsEvents(host)));
        return recorder;
    }

    /** Starts counting with the first of {@code sources} that works; package-private for tests. */
    static KvmStatRecorder start(Host host, Level level, List<ExitSource> sources) throws InterruptedException {
        KvmStatRecorder recorder = new KvmStatRecorder(host, level);
        recorder.startFirstOf(sources);
        return recorder;
    }

    private void startFirstOf(List<ExitSource> sources) throws InterruptedException {
        for (ExitSource candidate : sources) {
            try {
                candidate.start();
                source = candidate;
                started = System.nanoTime();
                return;
            } catch (SourceUnavailableException e) {
                notes.add(e.getMessage());
            }
        }
    }

    /** The source in use, or null when none works on this host. */
    public String source() {
        return source == null ? null : source.name();
    }

    /**
     * Stops counting, ends what was started on the hypervisor, and returns the rates, or why there are none.
     * Runs its clean-up even when the calling thread has been interrupted (the interrupt is kept for the caller).
     */
    public synchronized HypervisorExits stop() {
        if (result != null) {
            return result;
        }
        if (source == null) {
            result = HypervisorExits.unavailable(level, host.name(), notes);
            return result;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        boolean interrupted = Thread.interrupted();
        try {
            ExitSource.Rates rates = source.stop(seconds);
            List<String> all = new ArrayList<>(notes);
            all.addAll(rates.notes());
            result = new HypervisorExits(level, host.name(), source.name(), seconds, rates.perSecond(), all);
        } catch (SourceUnavailableException e) {
            notes.add(e.getMessage());
            result = HypervisorExits.unavailable(level, host.name(), notes);
        } catch (InterruptedException e) {
            interrupted = true;
            notes.add(source.name() + ": interrupted while stopping");
            result = HypervisorExits.unavailable(level, host.name(), notes);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return result;
    }

    @Override
    public void close() {
        stop();
    }
}
