package io.github.nestedvirt.trend;

import edu.hm.hafner.echarts.Build;
import edu.hm.hafner.echarts.BuildResult;
import edu.hm.hafner.echarts.ChartModelConfiguration;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import io.github.nestedvirt.result.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * How long the seven trend charts of a job take for 1,000 builds: from the build summaries (what the
 * plugin keeps in {@code build.xml}), next to the same charts from the full results, in memory and
 * read from their {@code result.json} files as a chart over full results would have to.
 * Not a test: run it with
 * {@code mvn -q -B -o -pl core test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.nestedvirt.trend.TrendChartBenchmark} (optional argument: the number of builds).
 */
public final class TrendChartBenchmark {

    private static final int WARMUPS = 3;
    private static final int REPETITIONS = 15;

    private TrendChartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<Run> runs = history(count, 1);
        Path directory = Files.createTempDirectory("nvmx-trend-benchmark");
        try {
            List<Path> files = new ArrayList<>();
            for (Run run : runs) {
                Path file = directory.resolve(run.id() + ".json");
                Files.write(file, ResultJson.write(run));
                files.add(file);
            }
            List<BuildResult<BuildSummary>> summaries = new ArrayList<>();
            for (int i = runs.size() - 1; i >= 0; i--) {
                summaries.add(build(i, BuildSummary.of(runs.get(i))));
            }
            ChartModelConfiguration all = ChartModelConfiguration.fromJson(
                    "{\"numberOfBuilds\": " + count + ", \"numberOfDays\": 0, \"buildAsDomain\": true}");
            ChartModelConfiguration fifty = new ChartModelConfiguration();

            System.out.printf(Locale.ROOT, "builds: %d, metrics per build: %d, samples per build: %d%n", count,
                    summaries.get(0).getResult().getMetrics().size(),
                    runs.get(0).measurements().stream().mapToInt(m -> m.samples().size()).sum());
            System.out.printf(Locale.ROOT, "per build: summary %d bytes (Java serialization), result.json %d bytes%n",
                    serialized(summaries.get(0).getResult()), Files.size(files.get(0)));
            report("7 charts, all builds, from summaries", () -> allCharts(summaries, all));
            report("7 charts, last 50 builds, from summaries", () -> allCharts(summaries, fifty));
            report("7 charts, all builds, from full results in memory", () -> allCharts(summarized(runs), all));
            report("7 charts, all builds, from result.json files", () -> allCharts(read(files), all));
            System.out.printf(Locale.ROOT, "java: %s, %d CPUs%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            try (var paths = Files.walk(directory)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Summarizes each full result when the chart asks for it, as a chart over full results must. */
    private static List<BuildResult<BuildSummary>> summarized(List<Run> runs) {
        List<BuildResult<BuildSummary>> builds = new ArrayList<>();
        for (int i = runs.size() - 1; i >= 0; i--) {
            builds.add(build(i, BuildSummary.of(runs.get(i))));
        }
        return builds;
    }

    private static List<BuildResult<BuildSummary>> read(List<Path> files) {
        List<BuildResult<BuildSummary>> builds = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                Path file = files.get(i);
                builds.add(build(i, BuildSummary.of(ResultJson.readRun(Files.readAllBytes(file), file.toString()))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return builds;
    }

    private static int allCharts(List<BuildResult<BuildSummary>> history, ChartModelConfiguration configuration) {
        int points = 0;
        for (TrendChartKind kind : TrendChartKind.values()) {
            points += TrendCharts.create(kind, history, configuration).getSeries().stream()
                    .mapToInt(series -> series.getData().size()).sum();
        }
        return points;
    }

    private static void report(String what, Supplier<Integer> work) {
        for (int i = 0; i < WARMUPS; i++) {
            work.get();
        }
        double[] millis = new double[REPETITIONS];
        int points = 0;
        for (int i = 0; i < REPETITIONS; i++) {
            System.gc(); // the garbage of one repetition is not collected in the time of the next
            long start = System.nanoTime();
            points = work.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "%s: median %.1f ms, min %.1f ms, max %.1f ms (%d points)%n", what,
                millis[REPETITIONS / 2], millis[0], millis[REPETITIONS - 1], points);
    }

    private static BuildResult<BuildSummary> build(int index, BuildSummary summary) {
        return new BuildResult<>(new Build(index + 1, "#" + (index + 1), 1_700_000_000 + index * 86_400), summary);
    }

    /** Runs shaped like the fixture run (real tool output), plus I/O and network, with noisy samples. */
    static List<Run> history(int count, long seed) {
        Run template = FixtureRuns.recorded();
        Random random = new Random(seed);
        List<Run> runs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Measurement> measurements = new ArrayList<>(template.measurements());
            measurements.add(FixtureRuns.measurement("io-scan", "throughput", Level.L2, "l2", Map.of(), "MB/s",
                    Better.HIGHER, 210, 220, 215, 218, 212));
            measurements.add(FixtureRuns.measurement("network-throughput", "throughput", Level.L2, "l2",
                    Map.of("tool", "iperf3", "test", "stream"), "Mbit/s", Better.HIGHER, 610, 600, 620, 615, 605));
            List<Measurement> noisy = new ArrayList<>(measurements.size());
            for (Measurement m : measurements) {
                List<Sample> samples = m.samples().stream()
                        .map(s -> new Sample(s.value() * (1 + 0.02 * random.nextGaussian()), s.warmup())).toList();
                noisy.add(new Measurement(m.benchmark(), m.metric(), m.level(), m.host(), m.variant(), m.unit(),
                        m.better(), samples, m.attributes()));
            }
            var start = template.start().plus(Duration.ofDays(i));
            runs.add(new Run(Run.SCHEMA_VERSION, RunId.next(start), start, start.plus(Duration.ofHours(2)),
                    template.plan(), template.fingerprint(), noisy, template.failures()));
        }
        return runs;
    }

    private static int serialized(Object object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        return bytes.size();
    }
}
