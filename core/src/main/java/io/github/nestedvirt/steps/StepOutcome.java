package io.github.nestedvirt.steps;

/** How a step ended, for its exit code. */
public enum StepOutcome {
    /** Everything asked for ran and was recorded. */
    OK,
    /** A benchmark failed; what it and the others measured was recorded. */
    BENCHMARK_FAILED,
    /** Preflight found a problem that makes results meaningless. */
    PREFLIGHT_FAILED,
    /** A teardown could not remove everything. */
    CLEANUP_INCOMPLETE,
    /** Stopped (SIGTERM); what was measured is kept, what was created is removed. */
    INTERRUPTED
}
