package io.github.nestedvirt.cli;

/** The exit codes of {@code nvmx}; scripts and the Jenkins steps act on them. */
final class ExitCode {

    /** Everything asked for ran and was recorded. */
    static final int OK = 0;
    /** The run finished, but at least one benchmark failed; the others were recorded. */
    static final int BENCHMARK_FAILED = 1;
    /** A command-line option, a plan or a value in it is wrong; nothing ran. */
    static final int BAD_INPUT = 2;
    /** A host could not be reached, authenticated or verified, or a guest did not come up; nothing ran on it. */
    static final int HOST_UNREACHABLE = 3;
    /** Preflight found a problem that makes the results meaningless (see its findings), or kvm_intel
     * cannot be switched. */
    static final int PREFLIGHT_FAILED = 4;
    /** A teardown or reap could not remove everything; the message lists what may be left and why. */
    static final int CLEANUP_INCOMPLETE = 5;
    /** {@code nvmx compare} found a significant change for the worse beyond the thresholds. */
    static final int REGRESSION_FOUND = 6;
    /** libvirt or QEMU refused: these hosts cannot do what was asked (e.g. migrate a running L2). */
    static final int NOT_SUPPORTED = 7;
    /** An unexpected error inside nvmx; the message and stack trace say where. */
    static final int INTERNAL_ERROR = 70;
    /** Interrupted (Ctrl-C, SIGTERM); what was measured so far is kept. */
    static final int INTERRUPTED = 130;

    static final String HELP = """
            Exit codes:
              0    everything ran and was recorded
              1    the run finished but a benchmark failed (the others were recorded)
              2    bad input: an option, a plan or a value in it is wrong; nothing ran
              3    a host could not be reached, authenticated or its key verified,
                   or a provisioned guest did not come up (what was created is removed)
              4    preflight found a problem that makes results meaningless, or a
                   plan's matrix cannot switch kvm_intel on a host (the reason is printed)
              5    teardown or reap left something behind (listed on stderr)
              6    compare found a regression against the baseline
              7    not supported on these hosts (e.g. a migration libvirt or QEMU refused)
              70   internal error
              130  interrupted; what was measured so far is kept
            """;

    private ExitCode() {
    }
}
