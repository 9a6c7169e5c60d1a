package io.github.nestedvirt.steps;

/**
 * A step's arguments cannot be used as given; the message names the step, the parameter (its path
 * inside nested values) and what to write instead, e.g.
 * {@code nestedKernelBuild: runz: unknown parameter; valid parameters: config, debugOff, ...}.
 */
public class StepArgumentException extends IllegalArgumentException {

    private final String step;
    private final String parameter;

    public StepArgumentException(String step, String parameter, String problem) {
        super(step + ": " + (parameter.isEmpty() ? "" : parameter + ": ") + problem);
        this.step = step;
        this.parameter = parameter;
    }

    public StepArgumentException(String step, String parameter, String problem, Throwable cause) {
        this(step, parameter, problem);
        initCause(cause);
    }

    /** The step's name, e.g. {@code nestedKernelBuild}. */
    public String step() {
        return step;
    }

    /** The parameter path, e.g. {@code l1[0].memory}; empty when the problem is not one parameter's. */
    public String parameter() {
        return parameter;
    }
}
