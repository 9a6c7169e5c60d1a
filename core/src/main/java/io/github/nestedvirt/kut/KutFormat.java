package io.github.nestedvirt.kut;

/** The two ways kvm-unit-tests reports. */
public enum KutFormat {
    /** {@code run_tests.sh} lines ({@code PASS msr (15 tests)}), and a test's own {@code PASS:} and {@code SUMMARY:} lines. */
    RUNNER,
    /** {@code run_tests.sh -t}: TAP 13, plan {@code 1..N} last. */
    TAP
}
