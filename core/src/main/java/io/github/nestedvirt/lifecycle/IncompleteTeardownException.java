package io.github.nestedvirt.lifecycle;

/** A teardown that left something behind; the message lists every resource that may remain and why. */
public final class IncompleteTeardownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TeardownReport report;

    public IncompleteTeardownException(String run, TeardownReport report) {
        super("teardown of run " + run + " left " + report.failures().size() + " resource(s) behind; "
                + "run 'nvmx teardown RUN_DIR' again once the cause is fixed:" + System.lineSeparator()
                + report.failures().stream().map(s -> "  " + s.resource().describe() + ": " + s.detail())
                        .collect(java.util.stream.Collectors.joining(System.lineSeparator())));
        this.report = report;
    }

    /** The whole report, removed resources included. */
    public TeardownReport report() {
        return report;
    }
}
