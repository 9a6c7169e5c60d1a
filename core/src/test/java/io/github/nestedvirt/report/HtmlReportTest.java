package io.github.nestedvirt.report;

import static io.github.nestedvirt.report.TestRuns.guestfish;
import static io.github.nestedvirt.report.TestRuns.measurement;
import static io.github.nestedvirt.report.TestRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    private static final Pattern MEASUREMENT_ROW = Pattern.compile("<tr class=\"measurement\">(.*?)</tr>");
    private static final Pattern CELL = Pattern.compile("<td>(.*?)</td>");

    @TempDir
    Path directory;

    @Test
    void everyMeasurementIsATableRowWithItsStatistics() {
        Measurement kernelBuild = new Measurement("kernel-build", "seconds", Level.L2, "l2-guest",
                Map.of("shadowVmcs", "off"), "s", Better.LOWER,
                List.of(Sample.warmup(130), Sample.of(120), Sample.of(124), Sample.of(122)),
                Map.of("accelerator", "tcg", "jobs", "2"));
        Run run = run(0, "nvmx", List.of(kernelBuild, guestfish(Level.L0, 2.5)));

        List<List<String>> rows = measurementRows(HtmlReport.render(List.of(run), List.of(), 20));

        // mean 122, sd 2, t(0.975; 2) = 4.3027: half width 4.968
        assertThat(rows).containsExactly(
                List.of("kernel-build", "seconds", "L2", "l2-guest", "shadowVmcs=off", "s", "3", "122", "122",
                        "117 – 127", "1.64", "120", "124", "1", "accelerator=tcg, jobs=2"),
                List.of("guestfish-launch", "seconds", "L0", "l0-host", "", "s", "1", "2.5", "2.5",
                        "–", "–", "2.5", "2.5", "0", "accelerator=tcg"));
    }

    @Test
    void theLatestRunIsComparedWithThePreviousOneAndShowsItsNestingOverhead() {
        Run before = run(0, "p", List.of(guestfish(Level.L0, 10.0, 10.1, 9.9, 10.0, 10.05),
                guestfish(Level.L1, 30.0, 30.2, 29.9, 30.1, 30.0)));
        Run after = run(1, "p", List.of(guestfish(Level.L0, 10.0, 10.1, 9.95, 10.05, 10.0),
                guestfish(Level.L1, 36.0, 36.1, 35.9, 36.2, 36.0)));

        String page = HtmlReport.render(List.of(after, before), List.of(), 20);

        List<List<String>> comparisons = rows(page, "<tr class=\"comparison [a-z_]+\">(.*?)</tr>");
        assertThat(comparisons).hasSize(2);
        assertThat(comparisons).anySatisfy(row -> assertThat(row)
                .startsWith("guestfish-launch/seconds@L1", "l1-host", "30 s", "36 s").endsWith("REGRESSION"));
        assertThat(comparisons).anySatisfy(row -> assertThat(row)
                .startsWith("guestfish-launch/seconds@L0").endsWith("NO_CHANGE"));
        assertThat(page).contains("Compared with the previous run").doesNotContain("fingerprint-differences");
        List<List<String>> overheads = rows(page, "<tr class=\"overhead\">(.*?)</tr>");
        assertThat(overheads).singleElement().satisfies(row -> {
            // both launches recorded accelerator=tcg: the row says it measures emulation
            assertThat(row.get(0)).isEqualTo("guestfish-launch/seconds L1/L0 (l1-host over l0-host)"
                    + " [TCG: L1 tcg, L0 tcg; emulation, not a nesting figure]");
            assertThat(Double.parseDouble(row.get(1))).isBetween(3.59, 3.61);
        });
    }

    @Test
    void theLatestRunShowsWhatTheBuildPageShows() {
        Map<String, String> notPassed = Map.of("fail.vmx_apic_passthrough_thread", "3 tests, 1 unexpected failures");
        Run run = run(0, "p", List.of(
                measurement("kernel-build", "seconds", Level.L2, Map.of("shadowVmcs", "on"), "s", Better.LOWER,
                        1400, 1410, 1420),
                measurement("kernel-build", "seconds", Level.L2, Map.of("shadowVmcs", "off"), "s", Better.LOWER,
                        1900, 1920, 1940),
                measurement("kvm-stat", "kvm_exit(EPT_VIOLATION)", Level.L0, Map.of(), "1/s", Better.LOWER,
                        400, 402, 404),
                measurement("kvm-stat", "kvm_entry", Level.L0, Map.of(), "1/s", Better.LOWER, 4000, 4002),
                new Measurement("kvm-unit-tests", "failed", Level.L1, "l1-host", Map.of(), "tests", Better.LOWER,
                        List.of(Sample.of(1)), notPassed),
                new Measurement("kvm-unit-tests", "passed", Level.L1, "l1-host", Map.of(), "tests", Better.HIGHER,
                        List.of(Sample.of(5)), notPassed)));

        String page = HtmlReport.render(List.of(run), List.of(), 20);

        assertThat(rows(page, "<tr class=\"vmcs-ratio\">(.*?)</tr>")).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo("kernel-build/seconds@L2 shadowVmcs off/on (l2-host)");
            assertThat(row.get(1)).isEqualTo("1.362");
            assertThat(row.get(4)).isEqualTo("yes");
        });
        assertThat(rows(page, "<tr class=\"exit\">(.*?)</tr>"))
                .containsExactly(List.of("L0", "l0-host", "EPT_VIOLATION", "402", "397 – 407"));
        assertThat(rows(page, "<tr class=\"kut\">(.*?)</tr>"))
                .containsExactly(List.of("L1", "l1-host", "5", "1", "0", "0"));
        assertThat(page).contains(
                "<li>FAIL vmx_apic_passthrough_thread on l1-host: 3 tests, 1 unexpected failures</li>");
    }

    private static List<List<String>> rows(String page, String rowPattern) {
        List<List<String>> rows = new ArrayList<>();
        Matcher row = Pattern.compile(rowPattern).matcher(page);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            rows.add(cells);
        }
        return rows;
    }

    @Test
    void aMeasurementWithOnlyWarmUpRunsShowsNoStatistics() {
        Measurement warmupOnly = new Measurement("iperf3", "throughput", Level.L1, "l1", Map.of(), "Mbit/s",
                Better.HIGHER, List.of(Sample.warmup(900)), Map.of());

        List<List<String>> rows = measurementRows(HtmlReport.render(List.of(run(0, "p", List.of(warmupOnly))),
                List.of(), 20));

        assertThat(rows.get(0).subList(6, 14)).containsExactly("0", "–", "–", "–", "–", "–", "–", "1");
    }

    @Test
    void onlyTheNewestRunsGetTablesNewestFirst() {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runs.add(run(i, "p", List.of(guestfish(Level.L0, i + 1))));
        }

        String page = HtmlReport.render(runs, List.of(), 2);

        assertThat(measurementRows(page)).extracting(row -> row.get(7)).containsExactly("5", "4");
        assertThat(page).contains("<h3>Run run-4</h3>").contains("<h3>Run run-3</h3>")
                .doesNotContain("<h3>Run run-2</h3>")
                .contains("Full tables for the 2 newest of 5 runs");
    }

    @Test
    void headerCountsRunsGivesTheSpanAndListsSkippedRuns() {
        List<Run> runs = List.of(run(0, "p", List.of()), run(2, "p", List.of()));

        String page = HtmlReport.render(runs, List.of("results/run-1/result.json: not JSON (line 3)"), 20);

        assertThat(page).contains("2 runs from 2025-03-01T10:00:00Z to 2025-03-03T11:00:00Z (2 d 1 h).")
                .contains("1 run was skipped")
                .contains("<li>results/run-1/result.json: not JSON (line 3)</li>");
    }

    @Test
    void hostFingerprintAndFailuresAreShown() {
        Run run = new Run(1, "run-0", TestRuns.FIRST_START, null, "p", List.of(TestRuns.host(Level.L1, "l1")),
                List.of(), List.of("kernel-build on l2: guest did not boot within 300 s"));

        String page = HtmlReport.render(List.of(run), List.of(), 20);

        assertThat(page).contains("<tr class=\"host\"><td>L1</td><td>l1</td>"
                        + "<td>Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz</td><td>6.1.0-31-amd64</td>"
                        + "<td>7.2.15</td><td>9.0.0</td>"
                        + "<td>kvm_intel enable_shadow_vmcs=Y ept=Y nested=Y</td>"
                        + "<td>UNUSABLE: qemu aborted: KVM_CREATE_VM failed</td></tr>")
                .contains("<li>kernel-build on l2: guest did not boot within 300 s</li>")
                .contains("still running or aborted");
    }

    @Test
    void hostileValuesAreEscapedInTablesAndInTheChartData() {
        String page = HtmlReport.render(List.of(HostileRun.create()), List.of("<b>bad</b> run"), 20);

        assertThat(page).doesNotContain(HostileRun.PLAN).doesNotContain(HostileRun.HOST)
                .doesNotContain("<b>bad</b>")
                .contains("&lt;/script&gt;&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;")
                .contains("&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;");
        // our own four script elements, and no injected one
        assertThat(count(page, "</script")).isEqualTo(4);
        assertThat(count(page, "<script")).isEqualTo(4);
    }

    @Test
    void pageIsSelfContained() {
        String page = HtmlReport.render(List.of(run(0, "p", List.of(guestfish(Level.L0, 1, 2)))), List.of(), 20);

        assertThat(page).doesNotContainPattern("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//")
                .doesNotContainPattern("(?i)@import|url\\(\\s*[\"']?https?:")
                // ECharts itself is inlined
                .contains("echarts")
                .contains(HtmlReport.resource(HtmlReport.ECHARTS).substring(0, 200));
    }

    @Test
    void writeReplacesTheFile() throws IOException {
        Path report = directory.resolve("report.html");
        Files.writeString(report, "old");

        HtmlReport.write(List.of(run(0, "p", List.of(guestfish(Level.L0, 1)))), List.of(), report);

        assertThat(Files.readString(report)).startsWith("<!DOCTYPE html>").contains("<h3>Run run-0</h3>");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(report);
        }
    }

    @Test
    void writeIntoAMissingDirectoryNamesIt() {
        Path report = directory.resolve("missing/report.html");

        assertThatThrownBy(() -> HtmlReport.write(List.of(), List.of(), report))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(report.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void negativeDetailedRunsIsRefused() {
        assertThatThrownBy(() -> HtmlReport.render(List.of(), List.of(), -1))
                .hasMessage("detailedRuns: must be 0 or more, got -1");
    }

    @Test
    void emptyResultsStillGiveAPage() {
        String page = HtmlReport.render(List.of(), List.of(), 20);

        assertThat(page).contains("0 runs.").contains("No measurements yet.");
    }

    static List<List<String>> measurementRows(String page) {
        List<List<String>> rows = new ArrayList<>();
        Matcher row = MEASUREMENT_ROW.matcher(page);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            rows.add(cells);
        }
        return rows;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    /** A run whose every user-controlled string tries to break out of the page. */
    static final class HostileRun {
        static final String PLAN = "</script><script>document.body.setAttribute('data-pwned','plan')</script>";
        static final String HOST = "<img src=x onerror=\"document.body.setAttribute('data-pwned','host')\">";

        static Run create() {
            Map<String, String> variant = Map.of("mmu\"></div><script>x()</script>", "</script>");
            Measurement hostile = new Measurement("bench</script>", "m<!--", Level.L1, HOST, variant, "s",
                    Better.LOWER, List.of(Sample.of(1), Sample.of(2)), Map.of("a", "</td>"));
            HostFacts facts = new HostFacts(Level.L0, HOST, HOST, "v", PLAN, List.of(), 1, 1, "k", null, null,
                    null, Map.of(), null);
            return new Run(1, PLAN, TestRuns.FIRST_START, null, PLAN, List.of(facts),
                    List.of(hostile, measurement("bench</script>", "m<!--", Level.L0, Map.of(), "s", Better.LOWER, 1)),
                    List.of(PLAN));
        }
    }
}
