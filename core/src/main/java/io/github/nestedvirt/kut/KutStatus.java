package io.github.nestedvirt.kut;

/** The outcome of one kvm-unit-tests test or check. */
public enum KutStatus {
    /** Passed ({@code PASS}, TAP {@code ok}). */
    PASS,
    /** Failed, or killed by a signal ({@code FAIL}, TAP {@code not ok}). */
    FAIL,
    /** Not run, or a check that could not run here; the reason says why ({@code SKIP}, TAP {@code # SKIP}). */
    SKIP,
    /** Killed after the runner's {@code TIMEOUT} (exit status 124). */
    TIMEOUT,
    /** A check known to fail that failed ({@code XFAIL:}): counted, not a regression. */
    XFAIL,
    /** A check known to fail that passed ({@code XPASS:}): counts as a failure in kvm-unit-tests. */
    XPASS
}
