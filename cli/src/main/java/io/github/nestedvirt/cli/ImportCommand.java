package io.github.nestedvirt.cli;

import io.github.nestedvirt.imports.ImportFormat;
import io.github.nestedvirt.imports.ImportRequest;
import io.github.nestedvirt.imports.Importer;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.RunText;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nvmx import FORMAT FILE}: a lab's existing tool output stored as a run, next to measured runs. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Stores an existing tool output (the log of a manual run) as a new run in a results "
                + "directory (plan name 'import'), so it joins the trends of measured runs.",
            "FORMAT: kvm-unit-tests (run_tests.sh output, a test's log, or TAP; also writes junit.xml), time "
                    + "(bash time, time -p, GNU /usr/bin/time [-v]), guestfish-loop (several 'time guestfish' "
                    + "runs; the first is a warm-up), kvm-stat (kvm_stat -1, -l, -l -c or its screen), netperf (classic or "
                    + "omni -k), iperf3 (--json).",
            "ANSI colours, banners, blank lines and Windows line ends are accepted; what cannot be read is "
                    + "refused with its file and line, and nothing is stored."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FORMAT", description = "One of: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Formats.class)
    String format;

    @Parameters(index = "1", paramLabel = "FILE", description = "The tool's output.")
    Path file;

    @Option(names = "--level", required = true, paramLabel = "L0|L1|L2",
            description = "The nesting level the output was measured on.")
    Level level;

    @Option(names = "--host", paramLabel = "NAME", defaultValue = "imported",
            description = "The measured host's name. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--benchmark", paramLabel = "NAME",
            description = "Benchmark name to store it under. Default: the format's (guestfish-launch, "
                    + "kvm-unit-tests, kvm-stat, network-throughput, time); use kernel-build for 'time make'.")
    String benchmark;

    @Option(names = "--metric", paramLabel = "NAME",
            description = "Metric name, for formats with one metric. Default: seconds, throughput or transactions.")
    String metric;

    @Option(names = "--variant", paramLabel = "KEY=VALUE",
            description = "A setting that sets this result apart, e.g. shadowVmcs=off; repeatable.")
    Map<String, String> variant = new LinkedHashMap<>();

    @Option(names = "--warmups", paramLabel = "N",
            description = "Timed runs at the start to flag as warm-up. Default: 1 for guestfish-loop, else 0.")
    Integer warmups;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "kvm_stat's -s delay for a log. Default: from its time stamps, else kvm_stat's 3 s.")
    Double interval;

    @Option(names = "--time", paramLabel = "ISO-8601",
            description = "When the output was produced, e.g. 2025-03-14T10:00:00Z. Default: FILE's modification time.")
    String time;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory. Default: ${DEFAULT-VALUE}.")
    Path results;

    @Override
    public Integer call() throws Exception {
        ImportRequest request = new ImportRequest(ImportFormat.of(format), file, benchmark, metric, level, host,
                variant, warmups, interval, start());
        Importer.Imported imported = Importer.importFile(request, new ResultStore(results));
        System.out.print(RunText.format(imported.run()));
        imported.warnings().forEach(warning -> System.err.println("nvmx: warning: " + warning));
        System.out.println("Stored in " + imported.directory());
        imported.files().forEach(extra -> System.out.println("Wrote " + extra));
        return ExitCode.OK;
    }

    private Instant start() {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--time: expected an ISO-8601 instant such as 2025-03-14T10:00:00Z,"
                    + " got '" + time + "'", e);
        }
    }

    /** The format names for help and completion. */
    static final class Formats implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(ImportFormat.values()).map(ImportFormat::cliName).iterator();
        }
    }
}
