package io.github.nestedvirt.steps;

/**
 * A step call whose arguments the engine accepted: its target and its typed parameters.
 *
 * @param step the step's name
 * @param target where it runs and where its results go
 * @param parameters the engine's own spec: e.g. {@code KernelBuild.Parameters}, {@link ProvisionSpec},
 *     {@link PreflightParameters}; {@code null} for {@code nestedTeardown}
 */
public record BoundStep(String step, StepTarget target, Object parameters) {

    /** The result set's name: {@code resultsId}, or the step's name. */
    public String resultsId() {
        return target.resultsId() == null ? step : target.resultsId();
    }
}
