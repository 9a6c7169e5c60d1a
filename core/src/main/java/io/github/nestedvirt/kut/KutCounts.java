package io.github.nestedvirt.kut;

/**
 * The counts of a kvm-unit-tests {@code SUMMARY:} line, also shown in parentheses on a runner line,
 * e.g. {@code SUMMARY: 430 tests, 2 unexpected failures, 1 expected failures, 3 skipped}.
 */
public record KutCounts(int tests, int unexpectedFailures, int expectedFailures, int skipped) {

    /** The counts as kvm-unit-tests prints them, without zero parts. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(tests).append(" tests");
        if (unexpectedFailures > 0) {
            text.append(", ").append(unexpectedFailures).append(" unexpected failures");
        }
        if (expectedFailures > 0) {
            text.append(", ").append(expectedFailures).append(" expected failures");
        }
        if (skipped > 0) {
            text.append(", ").append(skipped).append(" skipped");
        }
        return text.toString();
    }
}
