package io.github.nestedvirt.bench;

import io.github.nestedvirt.result.RunCountPolicy;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Repeats one benchmark run: first the warm-up runs (kept, flagged, left out of statistics), then
 * measured runs for as long as the {@link RunCountPolicy} asks for another.
 */
public final class RunLoop {

    private RunLoop() {
    }

    /** One run of a benchmark, returning its figure. */
    @FunctionalInterface
    public interface SampleSupplier {

        /**
         * @param runIndex 1-based over all runs of the task, warm-up runs included
         */
        double measure(int runIndex) throws Exception;
    }

    /**
     * @param task what runs, for progress lines
     * @param warmups runs made first and flagged {@link Sample#warmup}
     * @param policy how many measured runs to make
     * @param progress told before every run
     * @param run makes one run
     * @return every sample in order, warm-up runs first
     */
    public static List<Sample> repeat(String task, int warmups, RunCountPolicy policy, Progress progress,
            SampleSupplier run) throws Exception {
        if (warmups < 0) {
            throw new IllegalArgumentException("warmups: must be 0 or more, got " + warmups);
        }
        long start = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        int planned = warmups + policy.maxRuns();
        int index = 0;
        for (int i = 0; i < warmups; i++) {
            index++;
            progress.run(task + " (warm-up)", index, planned, Duration.ofNanos(System.nanoTime() - start));
            samples.add(Sample.warmup(run.measure(index)));
        }
        List<Double> values = new ArrayList<>();
        while (policy.needsAnotherRun(values)) {
            index++;
            progress.run(task, index, planned, Duration.ofNanos(System.nanoTime() - start));
            double value = run.measure(index);
            values.add(value);
            samples.add(Sample.of(value));
        }
        return samples;
    }
}
