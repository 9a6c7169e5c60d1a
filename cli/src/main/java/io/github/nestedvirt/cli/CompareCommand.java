package io.github.nestedvirt.cli;

import io.github.nestedvirt.compare.Baseline;
import io.github.nestedvirt.compare.ComparisonText;
import io.github.nestedvirt.compare.Overheads;
import io.github.nestedvirt.compare.RunComparison;
import io.github.nestedvirt.compare.Significance;
import io.github.nestedvirt.compare.Thresholds;
import io.github.nestedvirt.compare.VariantComparison;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nvmx compare RESULTS_DIR}: a run against a baseline, with a verdict per measurement. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares a run (default: the latest) with a baseline in a results directory: per "
                + "measurement the baseline and candidate medians, the change of the mean with its 95%% interval, "
                + "the p-value of a significance test and a verdict (REGRESSION, IMPROVEMENT, NO_CHANGE, "
                + "NOT_COMPARABLE). Then the run's level overheads (L1/L0, L2/L1) and its variants side by side.",
            "A regression needs a significant change that reaches every threshold set. Measurements taken on hosts "
                + "whose fingerprints differ (CPU, kernel, qemu, libvirt, kvm parameters) get no verdict: "
                + "NOT_COMPARABLE, with the differences listed.",
            "Exits with 6 when a regression is found."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RESULTS_DIR", description = "The results directory of nvmx run/bench.")
    Path results;

    @Option(names = "--baseline", paramLabel = "previous|RUN_ID|median:N", defaultValue = "previous",
            description = "The run before the candidate, a chosen run, or the medians of the last N runs before it. "
                    + "Default: ${DEFAULT-VALUE}.")
    String baseline;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "The candidate run. Default: the latest.")
    String run;

    @Option(names = "--threshold-percent", paramLabel = "P", defaultValue = "" + Thresholds.DEFAULT_PERCENT,
            description = "Least change of the mean, in percent, that counts. Default: ${DEFAULT-VALUE}.")
    double thresholdPercent;

    @Option(names = "--threshold-absolute", paramLabel = "X", defaultValue = "0",
            description = "Least change of the mean, in the measurement's unit, that counts; 0: none. "
                    + "Default: ${DEFAULT-VALUE}.")
    double thresholdAbsolute;

    @Option(names = "--test", paramLabel = "welch|mann-whitney", defaultValue = "welch",
            description = "The significance test. Default: ${DEFAULT-VALUE} (Welch's t; see docs/methodology.md).")
    String test;

    @Option(names = "--json", description = "Print the comparison as JSON on stdout instead of tables.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(results)) {
            throw new IllegalArgumentException("RESULTS_DIR: " + results + " is not a directory; "
                    + "give the --results directory of nvmx run or nvmx bench");
        }
        Baseline chosen = Baseline.parse(baseline);
        Thresholds thresholds = new Thresholds(thresholdPercent, thresholdAbsolute);
        Significance.Test significanceTest = Significance.Test.parse(test);
        ResultStore.Loaded loaded = new ResultStore(results).loadAll();
        loaded.problems().forEach(p -> System.err.println("nvmx: skipped " + p.directory() + ": " + p.reason()));
        List<Run> runs = loaded.runs();
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("RESULTS_DIR: " + results + " holds no readable runs");
        }
        Run candidate = run == null ? runs.get(runs.size() - 1) : runs.stream()
                .filter(r -> r.id().equals(RunId.requireValid(run))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--run: no run " + run + " in " + results));
        RunComparison comparison = RunComparison.of(runs, candidate, chosen, thresholds, significanceTest);
        if (json) {
            System.out.println(ResultJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(comparison));
        } else {
            System.out.print(ComparisonText.format(comparison));
            printRows("Level overheads in run " + candidate.id(), Overheads.of(candidate, significanceTest));
            printRows("VMCS shadowing off/on in run " + candidate.id(), VariantComparison.of(candidate,
                    VariantComparison.SHADOW_VMCS, "off", "on", significanceTest));
            printRows("MMU modes in run " + candidate.id(),
                    VariantComparison.allPairs(candidate, VariantComparison.MMU, significanceTest));
        }
        return comparison.regression() ? ExitCode.REGRESSION_FOUND : ExitCode.OK;
    }

    private static void printRows(String title, List<io.github.nestedvirt.compare.RatioRow> rows) {
        if (!rows.isEmpty()) {
            System.out.print(ComparisonText.format(title, rows));
        }
    }
}
