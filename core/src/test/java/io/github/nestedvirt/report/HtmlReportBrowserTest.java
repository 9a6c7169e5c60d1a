package io.github.nestedvirt.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens the report in a real headless Chromium: the page must run without errors and draw every chart. */
class HtmlReportBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;
    private static final Pattern CHART = Pattern.compile("<div class=\"chart\"[^>]*>");
    private static final Pattern SERIES = Pattern.compile("data-series=\"(\\d+)\"");

    @TempDir
    Path directory;

    @Test
    void chromiumDrawsEveryChartWithoutErrors() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "needs Chromium at " + CHROMIUM + " (Debian package chromium) to render the report");
        List<io.github.nestedvirt.result.Run> runs = new ArrayList<>(SyntheticRuns.create(40, 7));
        runs.add(HtmlReportTest.HostileRun.create());
        Path report = directory.resolve("report.html");
        HtmlReport.write(runs, List.of("results/x/result.json: </script><b>corrupt</b>"), report);

        Browser result = dumpDom(report);

        assertThat(result.exitCode).as("chromium exit code; stderr:%n%s", result.stderr).isZero();
        assertThat(result.stderr).as("console messages").doesNotContain(":CONSOLE");
        assertThat(result.dom).contains("<pre id=\"errors\" hidden=\"\"></pre>")
                // an injected script or handler would have set this attribute on the body
                .doesNotContainPattern("<[a-z]+[^>]*\\sdata-pwned=");
        List<Integer> expectedSeries = TrendChartFactory.charts(runs).stream()
                .map(chart -> chart.model().getSeries().size()).toList();
        assertThat(expectedSeries).hasSizeGreaterThanOrEqualTo(8);
        List<String> charts = new ArrayList<>();
        Matcher chart = CHART.matcher(result.dom);
        while (chart.find()) {
            charts.add(chart.group());
        }
        assertThat(charts).hasSameSizeAs(expectedSeries)
                .allSatisfy(tag -> assertThat(tag).contains("data-rendered=\"true\""));
        assertThat(charts).extracting(HtmlReportBrowserTest::drawnSeries).isEqualTo(expectedSeries);
        // ECharts draws into a canvas inside each chart element
        assertThat(count(result.dom, "<canvas")).isGreaterThanOrEqualTo(charts.size());
        // the hostile strings are shown as text
        assertThat(result.dom).contains("<dd class=\"plan\">" + Html.escape(HtmlReportTest.HostileRun.PLAN)
                .replace("&#39;", "'").replace("&quot;", "\"") + "</dd>");
    }

    private static int drawnSeries(String chartTag) {
        Matcher series = SERIES.matcher(chartTag);
        return series.find() ? Integer.parseInt(series.group(1)) : -1;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    private record Browser(int exitCode, String dom, String stderr) {
    }

    private Browser dumpDom(Path page) throws IOException, InterruptedException {
        Path profile = Files.createDirectory(directory.resolve("profile"));
        Path dom = directory.resolve("dom.html");
        Path stderr = directory.resolve("stderr.txt");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s; stderr:\n"
                        + Files.readString(stderr));
            }
        } finally {
            if (chromium.isAlive()) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        return new Browser(chromium.exitValue(), Files.readString(dom), Files.readString(stderr));
    }
}
