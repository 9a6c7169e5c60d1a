package io.github.nestedvirt.report;

import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long {@code nvmx report} takes for a long stored history (reading every run's
 * {@code result.json} with {@link ResultStore}, then writing the page), how much heap it needs and
 * how large the page is.
 * Not a test: run it with
 * {@code mvn -q -B -pl core test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.nestedvirt.report.ReportBenchmark} (optional argument: the number of runs).
 */
public final class ReportBenchmark {

    private static final int WARMUPS = 3;
    private static final int REPETITIONS = 5;

    private ReportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<Run> runs = SyntheticRuns.create(count, 1);
        int measurements = runs.stream().mapToInt(run -> run.measurements().size()).sum();
        int samples = runs.stream().flatMap(run -> run.measurements().stream())
                .mapToInt(measurement -> measurement.samples().size()).sum();
        Path results = Files.createTempDirectory("nvmx-report-benchmark");
        ResultStore store = new ResultStore(results);
        for (Run run : runs) {
            store.save(run);
        }
        runs = null; // from here on, only what is read back from disk is in memory
        Path output = results.resolve("report.html");
        try {
            for (int i = 0; i < WARMUPS; i++) {
                HtmlReport.write(store.loadAll().runs(), List.of(), output);
            }
            long heapBefore = usedHeapAfterGc();
            resetPeaks();
            double[] seconds = new double[REPETITIONS];
            double[] loading = new double[REPETITIONS];
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < REPETITIONS; i++) {
                long start = System.nanoTime();
                List<Run> loaded = store.loadAll().runs();
                loading[i] = (System.nanoTime() - start) / 1e9;
                HtmlReport.write(loaded, List.of(), output);
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            long allocatedPerReport = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / REPETITIONS;
            long peakHeap = peakHeap();
            Arrays.sort(seconds);
            Arrays.sort(loading);
            System.out.printf(Locale.ROOT, "runs: %d, measurements: %d, samples: %d%n", count, measurements, samples);
            System.out.printf(Locale.ROOT, "stored runs on disk: %.1f MiB%n", mib(directorySize(results)));
            System.out.printf(Locale.ROOT, "loading the stored runs: median %.3f s, min %.3f s, max %.3f s%n",
                    loading[REPETITIONS / 2], loading[0], loading[REPETITIONS - 1]);
            System.out.printf(Locale.ROOT, "load + report (%d repetitions after %d warm-ups): median %.3f s, "
                    + "min %.3f s, max %.3f s%n", REPETITIONS, WARMUPS, seconds[REPETITIONS / 2], seconds[0],
                    seconds[REPETITIONS - 1]);
            System.out.printf(Locale.ROOT, "heap used after GC before the measured repetitions: %.1f MiB%n", mib(heapBefore));
            System.out.printf(Locale.ROOT, "peak heap used while generating, garbage included (sum of heap pool "
                    + "peaks): %.1f MiB%n", mib(peakHeap));
            System.out.printf(Locale.ROOT, "allocated per report: %.1f MiB%n", mib(allocatedPerReport));
            System.out.printf(Locale.ROOT, "page size: %.2f MiB (ECharts alone: %.2f MiB)%n", mib(Files.size(output)),
                    mib(HtmlReport.resource(HtmlReport.ECHARTS).length()));
            System.out.printf(Locale.ROOT, "java: %s, max heap %.0f MiB, %d CPUs%n", System.getProperty("java.version"),
                    mib(Runtime.getRuntime().maxMemory()), Runtime.getRuntime().availableProcessors());
        } finally {
            try (var files = Files.walk(results)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static long directorySize(Path directory) throws java.io.IOException {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of every heap pool's peak: an upper bound, as pools peak at different moments. */
    private static long peakHeap() {
        return heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
