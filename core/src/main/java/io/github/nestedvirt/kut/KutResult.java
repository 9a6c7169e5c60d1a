package io.github.nestedvirt.kut;

import java.util.List;

/**
 * What a kvm-unit-tests output says.
 *
 * @param format how it was printed
 * @param tests the runner's entries, one per test of {@code unittests.cfg}, in order
 * @param checks the checks printed inside a test ({@code PASS: ...}, {@code FAIL: ...}), when the output
 *     is a test's own log
 * @param summary the last {@code SUMMARY:} line, or null if there is none
 */
public record KutResult(KutFormat format, List<KutTest> tests, List<KutTest> checks, KutCounts summary) {

    public KutResult {
        tests = List.copyOf(tests);
        checks = List.copyOf(checks);
    }

    /** The runner's tests, or the checks where the output is a single test's log. */
    public List<KutTest> entries() {
        return tests.isEmpty() ? checks : tests;
    }

    /** How many entries have {@code status}. */
    public long count(KutStatus status) {
        return entries().stream().filter(test -> test.status() == status).count();
    }
}
