package io.github.nestedvirt.cli;

import io.github.nestedvirt.report.HtmlReport;
import io.github.nestedvirt.result.ResultStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nvmx report RESULTS_DIR}: one self-contained HTML page with tables and trend charts. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Writes one self-contained HTML page (no network needed to view it) for the runs in a "
                + "results directory: a table of every measurement per run, trend charts across runs, and "
                + "L1/L0 and L2/L1 ratio charts.",
            "Runs that cannot be read are listed in the page and on stderr, and skipped."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RESULTS_DIR", description = "The results directory of nvmx run/bench.")
    Path results;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "The page to write. Default: RESULTS_DIR/report.html.")
    Path output;

    @Option(names = "--detailed-runs", paramLabel = "N", defaultValue = "" + HtmlReport.DEFAULT_DETAILED_RUNS,
            description = "How many of the newest runs get full tables; older runs appear in the trends only. "
                    + "Default: ${DEFAULT-VALUE}.")
    int detailedRuns;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(results)) {
            throw new IllegalArgumentException("RESULTS_DIR: " + results + " is not a directory; "
                    + "give the --results directory of nvmx run or nvmx bench");
        }
        ResultStore.Loaded loaded = new ResultStore(results).loadAll();
        List<String> problems = loaded.problems().stream()
                .map(problem -> problem.directory() + ": " + problem.reason()).toList();
        problems.forEach(problem -> System.err.println("nvmx: skipped " + problem));
        Path page = output == null ? results.resolve("report.html") : output;
        HtmlReport.write(loaded.runs(), problems, detailedRuns, page);
        System.out.println("Wrote " + page + " (" + loaded.runs().size() + " runs)");
        return ExitCode.OK;
    }
}
