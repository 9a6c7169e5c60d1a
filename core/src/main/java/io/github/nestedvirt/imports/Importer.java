package io.github.nestedvirt.imports;

import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.NetworkOutput;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.kut.KutJUnitXml;
import io.github.nestedvirt.kut.KutOutput;
import io.github.nestedvirt.kut.KutResult;
import io.github.nestedvirt.kut.KutStatus;
import io.github.nestedvirt.kut.KutTest;
import io.github.nestedvirt.kvmstat.KvmStatCapture;
import io.github.nestedvirt.kvmstat.KvmStatOutput;
import io.github.nestedvirt.output.UnreadableOutputException;
import io.github.nestedvirt.result.AtomicFile;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import io.github.nestedvirt.result.Sample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an existing tool output (a lab's log of a manual run) into measurements of a new run, stored
 * like any measured run (plan name {@value #PLAN}), so that imported and measured results share trends.
 * A kvm-unit-tests import also leaves JUnit XML ({@value #JUNIT_FILE}) in the run's directory.
 */
public final class Importer {

    /** The plan name of every imported run. */
    public static final String PLAN = "import";
    /** The JUnit XML file a kvm-unit-tests import writes next to {@code result.json}. */
    public static final String JUNIT_FILE = "junit.xml";

    /**
     * What an import stored.
     *
     * @param run the new run
     * @param directory its directory in the results store
     * @param files the files written besides {@code result.json} (JUnit XML)
     */
    /**
     * @param warnings what the import changed in the input to read it, e.g. bytes that were not UTF-8
     */
    public record Imported(Run run, Path directory, List<Path> files, List<String> warnings) {
    }

    private Importer() {
    }

    /**
     * Reads the request's file, and stores its measurements as a new run in {@code store}.
     *
     * @throws UnreadableOutputException naming the file and line when the output cannot be read
     * @throws IllegalArgumentException when an option does not fit the format
     * @throws IOException when the file cannot be read or the run cannot be written
     */
    public static Imported importFile(ImportRequest request, ResultStore store) throws IOException {
        String source = request.file().toString();
        String text;
        List<String> warnings = new ArrayList<>();
        try {
            text = utf8(source, Files.readAllBytes(request.file()), warnings);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(source + ": no such file", e);
        }
        Instant start = request.start() != null ? request.start()
                : Files.getLastModifiedTime(request.file()).toInstant();
        // kvm-unit-tests output is read once: its measurements and its JUnit XML come from one result
        KutResult suite = request.format() == ImportFormat.KVM_UNIT_TESTS ? KutOutput.parse(source, text) : null;
        List<Measurement> measurements = suite != null ? kvmUnitTests(request, suite)
                : measurements(request, source, text);
        text = null; // not needed past here: a large input can go before the JUnit XML is written
        Run run = new Run(Run.SCHEMA_VERSION, RunId.next(start), start, start, PLAN, List.of(), measurements,
                List.of());
        Map<String, AtomicFile.Content> besides = new LinkedHashMap<>();
        if (suite != null) {
            besides.put(JUNIT_FILE, out -> KutJUnitXml.write(suite, suiteName(request), out));
        }
        Path directory = store.save(run, besides);
        List<Path> files = new ArrayList<>();
        besides.keySet().forEach(name -> files.add(directory.resolve(name)));
        return new Imported(run, directory, List.copyOf(files), List.copyOf(warnings));
    }

    /**
     * The file as text. A byte that is not part of valid UTF-8 (a name written in Latin-1, a binary
     * fragment) is kept visible as {@code \\xNN} instead of becoming U+FFFD, and a warning names the first
     * line that had one.
     */
    static String utf8(String source, byte[] bytes, List<String> warnings) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer chunk = CharBuffer.allocate(8192);
        StringBuilder text = new StringBuilder(bytes.length);
        int escaped = 0;
        int firstLine = 0;
        while (true) {
            CoderResult result = decoder.decode(in, chunk, true);
            text.append(chunk.flip());
            chunk.clear();
            if (result.isError()) {
                if (escaped == 0) {
                    firstLine = 1 + (int) text.chars().filter(c -> c == '\n').count();
                }
                for (int i = 0; i < result.length(); i++) {
                    text.append(String.format(Locale.ROOT, "\\x%02X", in.get() & 0xff));
                }
                escaped += result.length();
            } else if (result.isUnderflow()) {
                decoder.flush(chunk);
                text.append(chunk.flip());
                break;
            }
        }
        if (escaped > 0) {
            warnings.add(source + ":" + firstLine + ": " + escaped + " byte(s) that are not UTF-8 are kept as \\xNN"
                    + " (in test names and reasons too); the rest of the file was read as UTF-8");
        }
        return text.toString();
    }

    /** The measurements in {@code text}, labelled as the request says: a pure function. */
    public static List<Measurement> measurements(ImportRequest request, String source, String text) {
        return switch (request.format()) {
            case KVM_UNIT_TESTS -> kvmUnitTests(request, KutOutput.parse(source, text));
            case TIME -> timed(request, source, text, "time", 0);
            case GUESTFISH_LOOP -> timed(request, source, text, GuestfishLaunch.BENCHMARK, 1);
            case KVM_STAT -> kvmStat(request, KvmStatOutput.parse(source, text, request.kvmStatInterval()));
            case NETPERF -> List.of(netperf(request, source, text));
            case IPERF3 -> List.of(iperf3(request, source, text));
        };
    }

    private static List<Measurement> kvmUnitTests(ImportRequest request, KutResult result) {
        noMetric(request, "passed, failed, skipped and timeouts");
        Map<String, String> attributes = attributes(request);
        attributes.put("output", result.format().name().toLowerCase(Locale.ROOT));
        if (result.summary() != null) {
            attributes.put("summary", result.summary().toString());
        }
        for (KutTest test : result.entries()) {
            String detail = test.counts() != null ? test.counts().toString() : test.reason();
            if (test.status() != KutStatus.PASS && test.status() != KutStatus.XFAIL) {
                // why a test did not pass stays visible with the counts, e.g. "nested not equal to Y"
                attributes.put(test.status().name().toLowerCase(Locale.ROOT) + "." + test.name(), detail);
            }
        }
        String benchmark = benchmark(request, "kvm-unit-tests");
        return List.of(
                count(request, benchmark, "passed", Better.HIGHER, result.count(KutStatus.PASS), attributes),
                count(request, benchmark, "failed", Better.LOWER,
                        result.count(KutStatus.FAIL) + result.count(KutStatus.XPASS), attributes),
                count(request, benchmark, "skipped", Better.LOWER, result.count(KutStatus.SKIP), attributes),
                count(request, benchmark, "timeouts", Better.LOWER, result.count(KutStatus.TIMEOUT), attributes));
    }

    private static Measurement count(ImportRequest request, String benchmark, String metric, Better better, long n,
            Map<String, String> attributes) {
        return new Measurement(benchmark, metric, request.level(), request.host(), request.variant(), "tests", better,
                List.of(Sample.of(n)), attributes);
    }

    /**
     * One measurement per timed command: a log where {@code /usr/bin/time -v make} is followed by the shell's
     * {@code time} of an outer command holds two series, never one. With several, each has its command (or,
     * where the log does not show it, the kind of {@code time} that printed it) in the variant as {@code timed}.
     */
    private static List<Measurement> timed(ImportRequest request, String source, String text, String defaultBenchmark,
            int defaultWarmups) {
        TimeOutput.Result result = TimeOutput.parse(source, text);
        Map<String, List<TimedRun>> series = new LinkedHashMap<>();
        for (TimedRun run : result.runs()) {
            String key = run.command() != null ? run.command() : "(" + formatOf(result, run) + ")";
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
        }
        List<Measurement> measurements = new ArrayList<>();
        for (Map.Entry<String, List<TimedRun>> timed : series.entrySet()) {
            Map<String, String> variant = new TreeMap<>(request.variant());
            if (series.size() > 1) {
                variant.put("timed", timed.getKey());
            }
            measurements.add(timedSeries(request, source, timed.getValue(), formatOf(result, timed.getValue().get(0)),
                    variant, defaultBenchmark, defaultWarmups));
        }
        return measurements;
    }

    private static String formatOf(TimeOutput.Result result, TimedRun run) {
        return run.format().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Measurement timedSeries(ImportRequest request, String source, List<TimedRun> runs, String format,
            Map<String, String> variant, String defaultBenchmark, int defaultWarmups) {
        int warmups = request.warmups() != null ? request.warmups() : defaultWarmups;
        if (warmups < 0) {
            throw new IllegalArgumentException("--warmups: must be 0 or more, got " + warmups);
        }
        if (runs.size() <= warmups) {
            throw new UnreadableOutputException(source, 0, runs.size() + " timed run(s), but the first "
                    + warmups + " are warm-ups: nothing left to measure; give --warmups 0 to keep them");
        }
        List<Sample> samples = new ArrayList<>();
        double user = 0;
        double system = 0;
        long maxRss = -1;
        for (TimedRun run : runs) {
            if (run.exitStatus() != null && run.exitStatus() != 0) {
                throw new UnreadableOutputException(source, run.line(), "the timed command failed (exit status "
                        + run.exitStatus() + "): its time measures nothing");
            }
            samples.add(samples.size() < warmups ? Sample.warmup(run.realSeconds()) : Sample.of(run.realSeconds()));
            user += run.userSeconds() == null ? 0 : run.userSeconds();
            system += run.systemSeconds() == null ? 0 : run.systemSeconds();
            maxRss = Math.max(maxRss, run.maxResidentKb() == null ? -1 : run.maxResidentKb());
        }
        Map<String, String> attributes = attributes(request);
        attributes.put("output", format);
        attributes.put("warmups", Integer.toString(warmups));
        attributes.put("userSecondsTotal", decimal(user));
        attributes.put("systemSecondsTotal", decimal(system));
        if (maxRss >= 0) {
            attributes.put("maxResidentKb", Long.toString(maxRss));
        }
        String command = runs.get(0).command();
        if (command != null) {
            attributes.put("command", command);
        }
        return new Measurement(benchmark(request, defaultBenchmark), metric(request, "seconds"), request.level(),
                request.host(), variant, "s", Better.LOWER, samples, attributes);
    }

    private static List<Measurement> kvmStat(ImportRequest request, KvmStatCapture capture) {
        noMetric(request, "one per kvm_stat event");
        Map<String, String> attributes = attributes(request);
        attributes.put("output", capture.format().name().toLowerCase(Locale.ROOT));
        attributes.put("secondsPerSample", decimal(capture.secondsPerSample()));
        List<Measurement> measurements = new ArrayList<>();
        for (String event : capture.events()) {
            List<Sample> samples = new ArrayList<>();
            for (double rate : capture.perSecond(event)) {
                samples.add(Sample.of(rate));
            }
            measurements.add(new Measurement(benchmark(request, "kvm-stat"), event, request.level(), request.host(),
                    request.variant(), "1/s", Better.LOWER, samples, attributes));
        }
        return measurements;
    }

    private static Measurement netperf(ImportRequest request, String source, String text) {
        NetworkOutput.NetperfResult result = text.contains("THROUGHPUT=")
                ? NetworkOutput.parseNetperfKeyValue(source, text) : NetworkOutput.parseNetperfClassic(source, text);
        boolean rr = result.requestResponse();
        Map<String, String> attributes = attributes(request);
        attributes.put("netperfUnit", result.unit());
        attributes.put("netperfTest", result.test());
        result.latencies().forEach((key, value) -> attributes.put(key, decimal(value)));
        Map<String, String> variant = new TreeMap<>(Map.of("tool", "netperf", "test", rr ? "rr" : "stream"));
        variant.putAll(request.variant());
        return new Measurement(benchmark(request, NetworkThroughput.BENCHMARK),
                metric(request, rr ? "transactions" : "throughput"), request.level(), request.host(), variant,
                rr ? "1/s" : "Mbit/s", Better.HIGHER, List.of(Sample.of(result.value())), attributes);
    }

    private static Measurement iperf3(ImportRequest request, String source, String text) {
        NetworkOutput.Iperf3Result result = NetworkOutput.parseIperf3(source, text);
        Map<String, String> attributes = attributes(request);
        attributes.put("sentMbps", decimal(result.sentMbps()));
        if (result.retransmits() >= 0) {
            attributes.put("retransmits", Long.toString(result.retransmits()));
        }
        Map<String, String> variant = new TreeMap<>(Map.of("tool", "iperf3", "test", "stream"));
        variant.putAll(request.variant());
        return new Measurement(benchmark(request, NetworkThroughput.BENCHMARK), metric(request, "throughput"),
                request.level(), request.host(), variant, "Mbit/s", Better.HIGHER,
                List.of(Sample.of(result.receivedMbps())), attributes);
    }

    private static Map<String, String> attributes(ImportRequest request) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("importedFrom", request.file().toString());
        attributes.put("format", request.format().cliName());
        return attributes;
    }

    private static String benchmark(ImportRequest request, String usual) {
        return request.benchmark() != null ? request.benchmark() : usual;
    }

    private static String metric(ImportRequest request, String usual) {
        return request.metric() != null ? request.metric() : usual;
    }

    private static void noMetric(ImportRequest request, String metrics) {
        if (request.metric() != null) {
            throw new IllegalArgumentException("--metric: " + request.format().cliName() + " imports several metrics ("
                    + metrics + "); leave --metric out");
        }
    }

    private static String suiteName(ImportRequest request) {
        return benchmark(request, "kvm-unit-tests") + "." + request.level() + "." + request.host();
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
