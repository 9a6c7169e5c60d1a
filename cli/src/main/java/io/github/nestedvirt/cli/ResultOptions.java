package io.github.nestedvirt.cli;

import io.github.nestedvirt.plan.Plan;
import io.github.nestedvirt.plan.PlanRunner;
import io.github.nestedvirt.plan.RunOutcome;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.RunText;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where results go and how they are shown; shared by {@code run} and {@code bench}. */
final class ResultOptions {

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory; each run is stored in its own subdirectory. Default: ${DEFAULT-VALUE}.")
    Path directory;

    @Option(names = "--json", description = "Print the run as JSON on stdout instead of a table.")
    boolean json;

    /** Runs the plan, prints the outcome, returns the exit code. */
    int execute(Plan plan) throws Exception {
        RunOutcome outcome = new PlanRunner(directory, new ConsoleProgress(System.err)).run(plan);
        if (json) {
            System.out.println(ResultJson.mapper().writeValueAsString(outcome.run()));
        } else {
            System.out.print(RunText.format(outcome.run()));
            System.out.println("Stored in " + outcome.directory());
        }
        if (outcome.interrupted()) {
            return ExitCode.INTERRUPTED;
        }
        return outcome.run().failures().isEmpty() ? ExitCode.OK : ExitCode.BENCHMARK_FAILED;
    }
}
