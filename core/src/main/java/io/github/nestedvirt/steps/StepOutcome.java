package io.github.nestedvirt.steps;

/** How a step ended, for its exit code. */
public enum StepOutcome {
    /** Everything asked for ran and was recorded. */
    OK,
    /** A benchmark failed; what it and the others measured was recorded. */
    BENCHMARK_FAILED,
    /** The guests did not come up or could not be set up; what was created is removed. */
    NOT_PROVISIONED,
    /** Preflight found a problem that makes results meaningless. */
    PREFLIGHT_FAILED,
    /** libvirt or QEMU refused: these hosts cannot do it (e.g. migrate an L1 that runs an L2). */
    NOT_SUPPORTED,
    /** A teardown could not remove everything. */
    CLEANUP_INCOMPLETE,
    /** Stopped (SIGTERM); what was measured is kept, what was created is removed. */
    INTERRUPTED
}
