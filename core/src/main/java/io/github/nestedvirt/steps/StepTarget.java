package io.github.nestedvirt.steps;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.result.Level;

/**
 * Where a step runs and where its results go: the arguments every benchmark step shares, so that
 * steps inside a {@code nestedTopology} block reach the guests it provisioned.
 *
 * @param topology the run directory of a provisioned topology, or null for L0 alone (this machine)
 * @param level the level to measure
 * @param guest the guest to measure, or null for the first guest of {@code level}
 * @param resultsId the result set the measurements belong to, or null for the step's name
 */
public record StepTarget(String topology, Level level, String guest, String resultsId) {

    /** The keys, in the order the step help shows them. */
    @JsonCreator
    public static StepTarget fromStep(
            @JsonProperty("topology") @JsonPropertyDescription("Run directory of a provisioned topology "
                    + "(nestedProvision, nestedTopology); inside a nestedTopology block it is set from NVMX_TOPOLOGY. "
                    + "Without it the step runs on L0, the agent's own machine.") String topology,
            @JsonProperty("level") @JsonPropertyDescription("The level to measure: L0 (this machine), L1 or L2 "
                    + "(a guest of the topology). Default: L0, or the level of 'guest'.") Level level,
            @JsonProperty("guest") @JsonPropertyDescription("Name of the guest to measure. Default: the first guest "
                    + "of 'level' in the topology.") String guest,
            @JsonProperty("resultsId") @JsonPropertyDescription("Name of the result set the measurements are stored "
                    + "under, to keep several sets per build apart. Default: the step's name.") String resultsId) {
        return new StepTarget(topology, level, guest, resultsId);
    }

    /** The level to measure when neither it nor a guest was given. */
    public Level levelOrDefault() {
        return level == null ? Level.L0 : level;
    }
}
