package io.github.nestedvirt.bench;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import io.github.nestedvirt.result.Summary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The same benchmark in several hosts at once (seed item 1, "multiple nested guests"): each host
 * runs it in its own thread, and a shared {@link StartLine} starts every run in all of them at the
 * same moment, run after run, for the same number of runs.
 *
 * <p>Each host's measurements are kept as its own, with {@code together} (how many hosts ran at once)
 * and {@code guest} (the host's id) added to their variant, so they are never compared with a run
 * alone. For every metric, two more measurements describe the group run by run: {@code METRIC-slowest},
 * the worst host's value (for a build: when the last guest was done), with the slowest host by mean
 * as an attribute, and {@code METRIC-spread}, how far apart the best and the worst host were, in
 * percent of the lower value.
 */
public final class Together {

    /** The variant key holding how many hosts ran at once. */
    public static final String TOGETHER = "together";
    /** The variant key holding the host's id in the group. */
    public static final String GUEST = "guest";

    /** The benchmark in one host of the group. */
    @FunctionalInterface
    public interface Task {

        /** Runs the benchmark, waiting at {@code startLine} before each run. */
        List<Measurement> measure(StartLine startLine, Progress progress) throws HostException, InterruptedException;
    }

    private Together() {
    }

    /**
     * Runs every task at once and returns each host's measurements (in the order of {@code tasks}),
     * then the group's.
     *
     * @param tasks by host id, at least two
     * @throws BenchmarkFailedException when a host failed: the others are stopped at their next run
     *     and the message names the host that failed and why
     */
    public static List<Measurement> run(Map<String, Task> tasks, Progress progress)
            throws HostException, InterruptedException {
        if (tasks.size() < 2) {
            throw new IllegalArgumentException("together: needs at least two hosts, got " + tasks.keySet());
        }
        List<String> ids = List.copyOf(tasks.keySet());
        StartLine startLine = new StartLine(ids.size());
        ExecutorService threads = Executors.newFixedThreadPool(ids.size());
        try {
            List<Future<List<Measurement>>> running = new ArrayList<>();
            for (String id : ids) {
                Task task = tasks.get(id);
                Progress own = prefixed(id, progress);
                running.add(threads.submit(() -> {
                    try {
                        return task.measure(startLine, own);
                    } catch (Exception | Error e) {
                        startLine.abandon(id + " failed: " + e.getMessage());
                        throw e;
                    }
                }));
            }
            List<List<Measurement>> taken = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            Throwable firstCause = null;
            for (int i = 0; i < ids.size(); i++) {
                try {
                    taken.add(running.get(i).get());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof StartLine.Abandoned)) {
                        failures.add(ids.get(i) + " failed: " + e.getCause().getMessage());
                        firstCause = firstCause == null ? e.getCause() : firstCause;
                    }
                }
            }
            if (firstCause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (!failures.isEmpty()) {
                throw new BenchmarkFailedException(String.join(", ", ids), String.join("; ", failures)
                        + (failures.size() < ids.size() ? " (the others stopped with it)" : ""), firstCause);
            }
            return measurements(ids, taken);
        } catch (InterruptedException e) {
            startLine.abandon("interrupted");
            throw e;
        } finally {
            threads.shutdownNow(); // interrupts hosts still running after an interruption
            threads.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** Each host's measurements marked as run together, then the group's per metric. */
    static List<Measurement> measurements(List<String> ids, List<List<Measurement>> taken) {
        List<Measurement> all = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (Measurement m : taken.get(i)) {
                all.add(marked(m, ids.get(i), ids.size()));
            }
        }
        for (Measurement first : taken.get(0)) {
            List<Measurement> perHost = new ArrayList<>();
            for (List<Measurement> host : taken) {
                host.stream().filter(m -> m.metric().equals(first.metric())).findFirst().ifPresent(perHost::add);
            }
            boolean aligned = perHost.size() == ids.size()
                    && perHost.stream().allMatch(m -> m.samples().size() == first.samples().size());
            if (aligned) {
                all.addAll(group(ids, perHost));
            }
        }
        return all;
    }

    private static Measurement marked(Measurement m, String id, int hosts) {
        Map<String, String> variant = new LinkedHashMap<>(m.variant());
        variant.put(TOGETHER, Integer.toString(hosts));
        variant.put(GUEST, id);
        return new Measurement(m.benchmark(), m.metric(), m.level(), m.host(), variant, m.unit(), m.better(),
                m.samples(), m.attributes(), m.kvmStat());
    }

    /** {@code METRIC-slowest} and {@code METRIC-spread} over the hosts' runs of one metric. */
    private static List<Measurement> group(List<String> ids, List<Measurement> perHost) {
        Measurement first = perHost.get(0);
        boolean lowerIsBetter = first.better() == Better.LOWER;
        List<Sample> slowest = new ArrayList<>();
        List<Sample> spread = new ArrayList<>();
        for (int run = 0; run < first.samples().size(); run++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Measurement m : perHost) {
                min = Math.min(min, m.samples().get(run).value());
                max = Math.max(max, m.samples().get(run).value());
            }
            boolean warmup = first.samples().get(run).warmup();
            slowest.add(new Sample(lowerIsBetter ? max : min, warmup));
            spread.add(new Sample(min > 0 ? 100 * (max - min) / min : 0, warmup));
        }
        int worst = 0;
        StringBuilder means = new StringBuilder();
        for (int i = 0; i < perHost.size(); i++) {
            double mean = mean(perHost.get(i));
            double worstMean = mean(perHost.get(worst));
            if (lowerIsBetter ? mean > worstMean : mean < worstMean) {
                worst = i;
            }
            means.append(i == 0 ? "" : ", ").append(ids.get(i)).append(' ')
                    .append(String.format(Locale.ROOT, "%.4g", mean)).append(' ').append(first.unit());
        }
        Map<String, String> variant = new LinkedHashMap<>(first.variant());
        variant.put(TOGETHER, Integer.toString(ids.size()));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("slowestGuest", ids.get(worst));
        attributes.put("means", means.toString());
        attributes.put("hosts", String.join(", ", ids));
        String hosts = String.join(", ", ids);
        return List.of(
                new Measurement(first.benchmark(), first.metric() + "-slowest", first.level(), hosts, variant,
                        first.unit(), first.better(), slowest, attributes),
                new Measurement(first.benchmark(), first.metric() + "-spread", first.level(), hosts, variant, "%",
                        Better.LOWER, spread, attributes));
    }

    private static double mean(Measurement m) {
        return Summary.of(m.values()).mean();
    }

    /** Progress of one host, its lines marked with its id; one line at a time, as the hosts share it. */
    private static Progress prefixed(String id, Progress progress) {
        return new Progress() {
            @Override
            public void run(String task, int index, int planned, int cap, Duration elapsed) {
                synchronized (progress) {
                    progress.run(id + ": " + task, index, planned, cap, elapsed);
                }
            }

            @Override
            public void info(String message) {
                synchronized (progress) {
                    progress.info(id + ": " + message);
                }
            }
        };
    }
}
