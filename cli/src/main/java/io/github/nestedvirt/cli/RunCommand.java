package io.github.nestedvirt.cli;

import io.github.nestedvirt.plan.Plan;
import io.github.nestedvirt.plan.PlanReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code nvmx run PLAN}: every benchmark of a plan, stored as one run. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs every benchmark of a plan on its hosts and stores the results as one run.",
            "A failed benchmark is recorded and the next one runs. Ctrl-C stops the current benchmark, "
                    + "ends its processes on the host and keeps what was measured."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan, a YAML file (see docs/plans.md).")
    Path plan;

    @Mixin
    ResultOptions results;

    @Override
    public Integer call() throws Exception {
        Plan read = new PlanReader().read(plan);
        return results.execute(read);
    }
}
