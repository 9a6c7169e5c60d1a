package io.github.nestedvirt.report;

import static io.github.nestedvirt.report.Html.escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nestedvirt.compare.Baseline;
import io.github.nestedvirt.compare.Comparison;
import io.github.nestedvirt.compare.RunComparison;
import io.github.nestedvirt.compare.Significance;
import io.github.nestedvirt.compare.Thresholds;
import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Figures;
import io.github.nestedvirt.result.LevelRatio;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import io.github.nestedvirt.result.Summary;
import io.github.nestedvirt.trend.BuildPageModel;
import io.github.nestedvirt.trend.ExitRateView;
import io.github.nestedvirt.trend.KutResultView;
import io.github.nestedvirt.trend.KutTestView;
import io.github.nestedvirt.trend.RatioView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The offline report: one self-contained HTML page (ECharts inlined, no network) with a header, the
 * details of the latest runs and trend charts across all runs.
 */
public final class HtmlReport {

    /** How many of the newest runs get full tables by default; older runs only feed the trends. */
    public static final int DEFAULT_DETAILED_RUNS = 20;

    private static final ObjectMapper CHART_JSON = new ObjectMapper();
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.5.0/echarts.min.js";
    private static final String SCRIPT = "io/github/nestedvirt/report/report.js";
    private static final String STYLE = "io/github/nestedvirt/report/report.css";

    private HtmlReport() {
    }

    /** Writes the report with full tables for the {@value #DEFAULT_DETAILED_RUNS} newest runs. */
    public static void write(List<Run> runs, List<String> problems, Path outputFile) throws IOException {
        write(runs, problems, DEFAULT_DETAILED_RUNS, outputFile);
    }

    /**
     * Writes the report, replacing {@code outputFile} atomically so a reader never sees half a page.
     *
     * @param runs every run, sorted by start (sorted again here to be sure)
     * @param problems why runs were skipped (corrupt files), shown in the header
     * @param detailedRuns how many of the newest runs get full tables
     * @param outputFile the HTML file to write; its directory must exist
     */
    public static void write(List<Run> runs, List<String> problems, int detailedRuns, Path outputFile)
            throws IOException {
        Path directory = outputFile.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IOException("report: the directory of the output file " + outputFile
                    + " does not exist; create it or choose another output file");
        }
        String page = render(runs, problems, detailedRuns);
        // not Files.createTempFile: its owner-only permissions would stay with the report
        Path temporary = directory.resolve(
                "." + outputFile.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(temporary, page, StandardCharsets.UTF_8);
            Files.move(temporary, outputFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The page as a string; see {@link #write(List, List, int, Path)}. */
    public static String render(List<Run> runs, List<String> problems, int detailedRuns) {
        Objects.requireNonNull(runs, "runs");
        if (detailedRuns < 0) {
            throw new IllegalArgumentException("detailedRuns: must be 0 or more, got " + detailedRuns);
        }
        List<Run> byStart = new ArrayList<>(runs);
        byStart.sort(Comparator.comparing(Run::start, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<TrendChart> charts = TrendChartFactory.charts(byStart);

        StringBuilder page = new StringBuilder(1_200_000);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>nested-virt report</title>\n<style>\n").append(resource(STYLE)).append("</style>\n")
                .append("</head>\n<body>\n")
                // first, so that an error while loading ECharts is caught too
                .append("<pre id=\"errors\" hidden></pre>\n<script>\n")
                .append("window.onerror = function (message, source, line, column) {\n")
                .append("  var errors = document.getElementById('errors');\n")
                .append("  errors.textContent += message + ' (' + source + ':' + line + ':' + column + ')\\n';\n")
                .append("  errors.hidden = false;\n};\n</script>\n");
        header(page, byStart, problems == null ? List.of() : problems);
        latestComparison(page, byStart);
        trends(page, charts);
        details(page, byStart, detailedRuns);
        page.append("<script>\n").append(resource(ECHARTS).replace("</script", "<\\/script")).append("\n</script>\n")
                .append("<script type=\"application/json\" id=\"chart-models\">")
                .append(Html.scriptSafeJson(chartModels(charts))).append("</script>\n")
                .append("<script>\n").append(resource(SCRIPT)).append("</script>\n")
                .append("</body>\n</html>\n");
        return page.toString();
    }

    /** The charts' models as JSON, by Jackson itself: echarts-build-trends' JacksonFacade is deprecated for removal. */
    private static String chartModels(List<TrendChart> charts) {
        try {
            return CHART_JSON.writeValueAsString(charts);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the trend charts cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static void header(StringBuilder page, List<Run> runs, List<String> problems) {
        page.append("<header>\n<h1>Nested virtualization results</h1>\n<p id=\"overview\">")
                .append(runs.size()).append(runs.size() == 1 ? " run" : " runs");
        Instant first = runs.stream().map(Run::start).filter(Objects::nonNull).findFirst().orElse(null);
        Instant last = runs.stream().map(run -> run.end() != null ? run.end() : run.start())
                .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        if (first != null && last != null) {
            page.append(" from ").append(time(first)).append(" to ").append(time(last))
                    .append(" (").append(duration(Duration.between(first, last))).append(')');
        }
        page.append(".</p>\n");
        if (!problems.isEmpty()) {
            page.append("<section id=\"problems\" class=\"problems\">\n<h2>")
                    .append(problems.size()).append(problems.size() == 1 ? " run was" : " runs were")
                    .append(" skipped</h2>\n<ul>\n");
            problems.forEach(problem -> page.append("<li>").append(escape(problem)).append("</li>\n"));
            page.append("</ul>\n</section>\n");
        }
        page.append("</header>\n");
    }

    /**
     * The newest run against the one before it (Welch's t, the default thresholds), and its level
     * overheads: what a user looks at first after a change.
     */
    private static void latestComparison(StringBuilder page, List<Run> byStart) {
        if (byStart.isEmpty()) {
            return;
        }
        Run latest = byStart.get(byStart.size() - 1);
        page.append("<section id=\"comparison\">\n<h2>Latest run</h2>\n");
        if (byStart.size() > 1) {
            RunComparison comparison = RunComparison.of(byStart, latest, Baseline.previous(), Thresholds.DEFAULT,
                    Significance.Test.WELCH_T);
            page.append("<h3>Compared with the previous run</h3>\n");
            if (!comparison.fingerprintDifferences().isEmpty()) {
                page.append("<p class=\"fingerprint-differences\">Different hosts, not compared: ")
                        .append(escape(String.join("; ", comparison.fingerprintDifferences()))).append("</p>\n");
            }
            page.append("<table class=\"comparisons\">\n<thead><tr><th>Measurement</th><th>Host</th>")
                    .append("<th>Previous median</th><th>Latest median</th><th>Change %</th>")
                    .append("<th>95% interval of the ratio</th><th>p (")
                    .append(escape(comparison.test().label())).append(")</th><th>Verdict</th></tr></thead>\n<tbody>\n");
            for (Comparison row : comparison.comparisons()) {
                page.append("<tr class=\"comparison ").append(row.verdict().name().toLowerCase(Locale.ROOT)).append("\">");
                cells(page, row.key(), row.host(), Figures.format(row.baseline().median()) + " " + row.unit(),
                        Figures.format(row.candidate().median()) + " " + row.unit(),
                        Figures.format(row.percentChange()), interval(row.ratio()),
                        Figures.format(row.significance().pValue()), row.verdict().name());
                page.append("</tr>\n");
            }
            page.append("</tbody>\n</table>\n");
        }
        buildPage(page, BuildPageModel.of(latest));
        page.append("</section>\n");
    }

    /** What the Jenkins build page shows of the latest run, from the same model. */
    private static void buildPage(StringBuilder page, BuildPageModel model) {
        ratios(page, "Nesting overhead", "overheads", "overhead", model.getLevelRatios());
        ratios(page, "VMCS shadowing off over on", "vmcs", "vmcs-ratio", model.getVmcsShadowing());
        ratios(page, "MMU modes", "mmu", "mmu-ratio", model.getMmuModes());
        if (!model.getExitRates().isEmpty()) {
            page.append("<h3>VM exits by reason</h3>\n<table class=\"exits\">\n<thead><tr><th>Level</th>")
                    .append("<th>Hypervisor</th><th>Exit</th><th>Per second</th><th>95% interval</th></tr></thead>\n")
                    .append("<tbody>\n");
            for (ExitRateView exit : model.getExitRates()) {
                page.append("<tr class=\"exit\">");
                cells(page, exit.getLevel(), exit.getHost(), exit.getEvent(), exit.getPerSecond(), exit.getInterval());
                page.append("</tr>\n");
            }
            page.append("</tbody>\n</table>\n");
        }
        if (!model.getKvmUnitTests().isEmpty()) {
            page.append("<h3>kvm-unit-tests</h3>\n<table class=\"kvm-unit-tests\">\n<thead><tr><th>Level</th>")
                    .append("<th>Host</th><th>Passed</th><th>Failed</th><th>Skipped</th><th>Timed out</th></tr>")
                    .append("</thead>\n<tbody>\n");
            for (KutResultView kut : model.getKvmUnitTests()) {
                page.append("<tr class=\"kut\">");
                cells(page, kut.getLevel(), kut.getHost(), String.valueOf(kut.getPassed()),
                        String.valueOf(kut.getFailed()), String.valueOf(kut.getSkipped()),
                        String.valueOf(kut.getTimeouts()));
                page.append("</tr>\n");
            }
            page.append("</tbody>\n</table>\n");
            if (!model.getKutTests().isEmpty()) {
                page.append("<ul class=\"kut-not-passed\">\n");
                for (KutTestView test : model.getKutTests()) {
                    page.append("<li>").append(escape(test.getStatus() + " " + test.getName() + " on "
                            + test.getHost() + (test.getDetail().isEmpty() ? "" : ": " + test.getDetail())))
                            .append("</li>\n");
                }
                page.append("</ul>\n");
            }
        }
    }

    private static void ratios(StringBuilder page, String title, String tableClass, String rowClass,
            List<RatioView> rows) {
        if (rows.isEmpty()) {
            return;
        }
        page.append("<h3>").append(escape(title)).append("</h3>\n<table class=\"").append(tableClass)
                .append("\">\n<thead><tr><th>Ratio</th><th>Estimate</th><th>95% interval</th><th>p</th>")
                .append("<th>Significant</th></tr></thead>\n<tbody>\n");
        for (RatioView row : rows) {
            page.append("<tr class=\"").append(rowClass).append("\">");
            cells(page, row.getLabel(), row.getRatio(), row.getInterval(), row.getP(), row.getSignificant());
            page.append("</tr>\n");
        }
        page.append("</tbody>\n</table>\n");
    }

    private static String interval(LevelRatio ratio) {
        return Figures.interval(ratio.ciLow(), ratio.ciHigh());
    }

    private static void trends(StringBuilder page, List<TrendChart> charts) {
        page.append("<section id=\"trends\">\n<h2>Trends across runs</h2>\n");
        if (charts.isEmpty()) {
            page.append("<p>No measurements yet.</p>\n");
        }
        for (TrendChart chart : charts) {
            page.append("<div class=\"chart\" id=\"").append(escape(chart.id())).append("\" aria-label=\"")
                    .append(escape(chart.title())).append("\"></div>\n");
        }
        page.append("</section>\n");
    }

    private static void details(StringBuilder page, List<Run> byStart, int detailedRuns) {
        int shown = Math.min(detailedRuns, byStart.size());
        page.append("<section id=\"runs\">\n<h2>Latest runs</h2>\n");
        if (shown < byStart.size()) {
            page.append("<p>Full tables for the ").append(shown).append(" newest of ").append(byStart.size())
                    .append(" runs; older runs appear only in the trends.</p>\n");
        }
        for (int i = byStart.size() - 1; i >= byStart.size() - shown; i--) {
            run(page, byStart.get(i));
        }
        page.append("</section>\n");
    }

    private static void run(StringBuilder page, Run run) {
        page.append("<article class=\"run\">\n<h3>Run ").append(escape(run.id())).append("</h3>\n<dl>")
                .append("<dt>Plan</dt><dd class=\"plan\">").append(escape(run.plan())).append("</dd>")
                .append("<dt>Start</dt><dd>").append(time(run.start())).append("</dd>")
                .append("<dt>End</dt><dd>").append(run.end() == null ? "still running or aborted" : time(run.end()))
                .append("</dd></dl>\n");
        fingerprint(page, run.fingerprint());
        if (!run.failures().isEmpty()) {
            page.append("<h4>Failures</h4>\n<ul class=\"failures\">\n");
            run.failures().forEach(failure -> page.append("<li>").append(escape(failure)).append("</li>\n"));
            page.append("</ul>\n");
        }
        measurements(page, run.measurements());
        kvmStat(page, run.measurements());
        page.append("</article>\n");
    }

    private static void fingerprint(StringBuilder page, List<HostFacts> hosts) {
        page.append("<h4>Hosts</h4>\n");
        if (hosts.isEmpty()) {
            page.append("<p>No host facts recorded.</p>\n");
            return;
        }
        page.append("<table class=\"hosts\">\n<thead><tr><th>Level</th><th>Host</th><th>CPU model</th><th>Kernel</th>")
                .append("<th>QEMU</th><th>libvirt</th><th>KVM module parameters</th><th>KVM</th></tr></thead>\n<tbody>\n");
        for (HostFacts host : hosts) {
            // sorted: the same parameters read the same in every run
            String parameters = host.kvmParameters() == null ? "" : new TreeMap<>(host.kvmParameters()).entrySet()
                    .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            String module = host.kvmModule() == null ? "not loaded" : host.kvmModule() + " " + parameters;
            String kvm = host.kvm() == null ? "not probed"
                    : host.kvm().state() + (host.kvm().detail() == null ? "" : ": " + host.kvm().detail());
            page.append("<tr class=\"host\">");
            cells(page, String.valueOf(host.level()), host.host(), host.cpuModel(), host.kernel(),
                    orAbsent(host.qemuVersion()), orAbsent(host.libvirtVersion()), module.strip(), kvm);
            page.append("</tr>\n");
        }
        page.append("</tbody>\n</table>\n");
    }

    private static void measurements(StringBuilder page, List<Measurement> measurements) {
        page.append("<h4>Measurements</h4>\n");
        if (measurements.isEmpty()) {
            page.append("<p>No measurements.</p>\n");
            return;
        }
        page.append("<table class=\"measurements\">\n<thead><tr><th>Benchmark</th><th>Metric</th><th>Level</th>")
                .append("<th>Host</th><th>Variant</th><th>Unit</th><th>n</th><th>Median</th><th>Mean</th>")
                .append("<th>95% interval of the mean</th><th>RSD %</th><th>Min</th><th>Max</th>")
                .append("<th>Warm-up runs</th><th>Attributes</th></tr></thead>\n<tbody>\n");
        for (Measurement measurement : measurements) {
            long warmups = measurement.samples().stream().filter(Sample::warmup).count();
            String variant = text(measurement.variant());
            String attributes = text(measurement.attributes());
            page.append("<tr class=\"measurement\">");
            cells(page, measurement.benchmark(), measurement.metric(), String.valueOf(measurement.level()),
                    measurement.host(), variant, measurement.unit());
            if (measurement.values().length == 0) {
                String none = Figures.UNDEFINED;
                cells(page, "0", none, none, none, none, none, none);
            } else {
                Summary summary = Summary.of(measurement);
                String interval = Figures.interval(summary.ciLow(), summary.ciHigh());
                cells(page, String.valueOf(summary.n()), Figures.format(summary.median()),
                        Figures.format(summary.mean()), interval, Figures.percent(summary.relativeStandardDeviation()),
                        Figures.format(summary.min()), Figures.format(summary.max()));
            }
            cells(page, String.valueOf(warmups), attributes);
            page.append("</tr>\n");
        }
        page.append("</tbody>\n</table>\n");
    }

    /** Exits per second on the hypervisors below each benchmark's level, once per benchmark (not per metric). */
    private static void kvmStat(StringBuilder page, List<Measurement> measurements) {
        java.util.Set<String> shown = new java.util.HashSet<>();
        StringBuilder rows = new StringBuilder();
        for (Measurement measurement : measurements) {
            String during = measurement.benchmark() + "@" + measurement.level() + " on " + measurement.host();
            String variant = text(measurement.variant());
            if (measurement.kvmStat().isEmpty() || !shown.add(during + variant + measurement.kvmStat())) {
                continue;
            }
            for (HypervisorExits exits : measurement.kvmStat()) {
                rows.append("<tr class=\"kvm-stat\">");
                cells(rows, during, variant, exits.level() + " " + exits.host(), exits.summary());
                rows.append("</tr>\n");
            }
        }
        if (rows.length() > 0) {
            page.append("<h4>kvm_stat on the hypervisors below</h4>\n<table class=\"kvm-stat\">\n<thead><tr>")
                    .append("<th>During</th><th>Variant</th><th>Hypervisor</th><th>Events per second</th></tr></thead>\n")
                    .append("<tbody>\n").append(rows).append("</tbody>\n</table>\n");
        }
    }

    private static void cells(StringBuilder page, String... values) {
        for (String value : values) {
            page.append("<td>").append(escape(value)).append("</td>");
        }
    }

    private static String text(Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String orAbsent(String version) {
        return version == null ? "absent" : version;
    }

    private static String time(Instant instant) {
        return instant == null ? "unknown" : instant.toString();
    }

    private static String duration(Duration duration) {
        long days = duration.toDays();
        return days > 0 ? days + " d " + duration.toHoursPart() + " h"
                : duration.toHours() + " h " + duration.toMinutesPart() + " min";
    }

    /** A text resource from the class path: our script and style, and ECharts from its webjar. */
    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report: " + name + " is missing from the class path;"
                        + " the org.webjars:echarts jar and the core resources must be on it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot read " + name + " from the class path", e);
        }
    }
}
