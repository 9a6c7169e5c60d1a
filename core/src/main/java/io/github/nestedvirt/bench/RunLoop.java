package io.github.nestedvirt.bench;

import io.github.nestedvirt.result.RunCountPolicy;
import io.github.nestedvirt.result.Sample;
import io.github.nestedvirt.result.Summary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Repeats one benchmark run: first the warm-up runs, then measured runs for as long as a
 * {@link RunCountPolicy} asks for another. Every benchmark uses it, so all of them count runs,
 * report progress and honour cancellation the same way.
 */
public final class RunLoop {

    private RunLoop() {
    }

    /**
     * Makes the runs and returns every sample, warm-up runs first and flagged as such.
     *
     * <p>Before each run it reports {@code run i of planned (max cap)} to {@code progress}, with the
     * time spent on the measured runs so far (the warm-ups report their own); {@code planned} is the policy's minimum until the samples call
     * for more. When the cap stops a still unstable series, it says so with {@link Progress#info}.
     *
     * @param task what is being measured, for progress and errors, e.g. {@code kernel-build@L1}
     * @param warmups runs made first and kept out of every statistic (0 for none)
     * @throws InterruptedException if the thread is interrupted: checked before every run, and
     *     passed on when thrown by {@code run}
     * @throws Exception whatever {@code run} throws, unchanged
     */
    public static List<Sample> repeat(String task, int warmups, RunCountPolicy policy, Progress progress,
            SampleSupplier run) throws Exception {
        return repeat(task, warmups, policy, StartLine.alone(), progress, run);
    }

    /**
     * The same, in step with the other hosts of {@code startLine}: every run (warm-ups included) starts
     * when all of them are ready for it, and another run is made while any of them asks for one.
     */
    public static List<Sample> repeat(String task, int warmups, RunCountPolicy policy, StartLine startLine,
            Progress progress, SampleSupplier run) throws Exception {
        if (warmups < 0) {
            throw new IllegalArgumentException(task + ": warmups must be 0 or more, got " + warmups);
        }
        long started = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        int calls = 0;
        for (int i = 1; i <= warmups; i++) {
            stopIfInterrupted();
            startLine.beforeWarmup();
            progress.run(task + " (warm-up)", i, warmups, warmups, since(started));
            samples.add(Sample.warmup(measure(task, run, ++calls)));
        }
        started = System.nanoTime(); // estimates of what is left must not count the (slower) warm-ups
        List<Double> values = new ArrayList<>();
        while (startLine.anotherRun(policy.needsAnotherRun(values))) {
            stopIfInterrupted();
            int index = values.size() + 1;
            progress.run(task, index, Math.max(policy.minRuns(), index), policy.maxRuns(), since(started));
            double value = measure(task, run, ++calls);
            values.add(value);
            samples.add(Sample.of(value));
        }
        reportUnstableAtCap(task, policy, progress, values);
        return List.copyOf(samples);
    }

    private static double measure(String task, SampleSupplier run, int call) throws Exception {
        double value = run.measure(call);
        if (!Double.isFinite(value)) {
            // NaN or infinity would silently poison every statistic and trend built on it
            throw new IllegalStateException(task + ": run " + call + " measured " + value
                    + ", expected a finite number");
        }
        return value;
    }

    private static void reportUnstableAtCap(String task, RunCountPolicy policy, Progress progress,
            List<Double> values) {
        if (values.size() < 2 || values.size() < policy.maxRuns() || policy.minRuns() == policy.maxRuns()) {
            return;
        }
        Summary summary = Summary.of(values.stream().mapToDouble(Double::doubleValue).toArray());
        if (summary.relativeStandardDeviation() >= policy.rsdThreshold()) {
            progress.info(String.format(Locale.ROOT,
                    "%s: stopped at the cap of %d runs with a relative standard deviation of %.1f%% (stable below %.1f%%)",
                    task, policy.maxRuns(), 100 * summary.relativeStandardDeviation(), 100 * policy.rsdThreshold()));
        }
    }

    private static void stopIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("cancelled");
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
