package io.github.nestedvirt.facts;

/**
 * One thing preflight checked on a host.
 *
 * @param severity whether results from the host can be trusted as they are
 * @param message what was found, with the value that was read
 * @param action what to do about it; empty when nothing needs doing
 */
public record Finding(Severity severity, String message, String action) {

    /** How much a finding matters for the host's results. */
    public enum Severity {
        /** As it should be. */
        OK,
        /** Results are valid but measure something other than the usual setup; say so. */
        WARN,
        /** The test plan cannot run here as meant, or its timings would mislead. */
        FAIL
    }

    static Finding ok(String message) {
        return new Finding(Severity.OK, message, "");
    }

    static Finding warn(String message, String action) {
        return new Finding(Severity.WARN, message, action);
    }

    static Finding fail(String message, String action) {
        return new Finding(Severity.FAIL, message, action);
    }
}
