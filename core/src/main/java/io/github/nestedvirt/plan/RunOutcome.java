package io.github.nestedvirt.plan;

import io.github.nestedvirt.result.Run;
import java.nio.file.Path;

/**
 * What {@link PlanRunner#run} produced.
 *
 * @param run the stored run, with its failures
 * @param directory where it is stored
 * @param interrupted true when the run was stopped before its last benchmark
 */
public record RunOutcome(Run run, Path directory, boolean interrupted) {
}
