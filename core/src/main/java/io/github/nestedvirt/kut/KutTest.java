package io.github.nestedvirt.kut;

/**
 * One entry of {@code run_tests.sh}, or one check inside a test ({@code PASS: msg}).
 *
 * @param name the test's name from {@code unittests.cfg}, e.g. {@code vmx}, or a check's message
 * @param status its outcome
 * @param reason why it was skipped, timed out or killed, e.g.
 *     {@code /sys/module/kvm_intel/parameters/nested not equal to Y}; empty otherwise
 * @param counts the test's own {@code SUMMARY} counts, or null where the runner printed none
 * @param line the line of the output it was read from
 */
public record KutTest(String name, KutStatus status, String reason, KutCounts counts, int line) {

    public KutTest {
        reason = reason == null ? "" : reason;
    }

    /** Whether it was skipped because nested virtualization is off on this host (kvm_intel/kvm_amd {@code nested}). */
    public boolean skippedForNested() {
        return status == KutStatus.SKIP && reason.contains("nested");
    }
}
