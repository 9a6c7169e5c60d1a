package io.github.nestedvirt.kut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.output.TestOutputs;
import io.github.nestedvirt.output.UnreadableOutputException;
import org.junit.jupiter.api.Test;

class KutOutputTest {

    private static KutResult parse(String name) {
        return KutOutput.parse(name, TestOutputs.read(KutOutputTest.class, name));
    }

    @Test
    void runnerLinesWithColoursGiveEveryTestItsStatusCountsAndReason() {
        KutResult result = parse("runner-ansi.txt");

        assertThat(result.format()).isEqualTo(KutFormat.RUNNER);
        assertThat(result.tests()).hasSize(11);
        assertThat(result.tests().get(2)).isEqualTo(new KutTest("msr", KutStatus.PASS, "", new KutCounts(15, 0, 0, 0), 3));
        assertThat(result.tests().get(4)).isEqualTo(new KutTest("vmexit_cpuid", KutStatus.PASS, "", null, 5));
        assertThat(result.tests().get(6).counts()).isEqualTo(new KutCounts(3, 1, 0, 0));
        assertThat(result.tests().get(7).counts()).isEqualTo(new KutCounts(142218, 0, 2, 0));
        assertThat(result.count(KutStatus.PASS)).isEqualTo(5);
        assertThat(result.count(KutStatus.FAIL)).isEqualTo(2);
        assertThat(result.count(KutStatus.SKIP)).isEqualTo(3);
        assertThat(result.count(KutStatus.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void skipBecauseNestedIsOffKeepsItsReason() {
        KutTest vmx = parse("runner.txt").tests().get(5);

        assertThat(vmx.name()).isEqualTo("vmx");
        assertThat(vmx.status()).isEqualTo(KutStatus.SKIP);
        assertThat(vmx.reason()).isEqualTo("/sys/module/kvm_intel/parameters/nested not equal to Y");
        assertThat(vmx.skippedForNested()).isTrue();
    }

    @Test
    void timeoutAndSignalAreTold() {
        KutResult result = parse("runner.txt");

        assertThat(result.tests().get(8)).extracting(KutTest::name, KutTest::status, KutTest::reason)
                .containsExactly("vmx_pf_exception_test", KutStatus.TIMEOUT, "timeout; duration=90s");
        assertThat(result.tests().get(9)).extracting(KutTest::status, KutTest::reason)
                .containsExactly(KutStatus.FAIL, "terminated on SIGSEGV");
    }

    @Test
    void colouredAndWindowsLineEndOutputReadsAsPlainOutput() {
        assertThat(parse("runner-ansi-crlf.txt").tests()).isEqualTo(parse("runner.txt").tests());
        assertThat(parse("runner-ansi.txt").tests()).isEqualTo(parse("runner.txt").tests());
    }

    @Test
    void aTestsOwnLogGivesChecksAndSummaryAndIgnoresConsoleChatter() {
        KutResult result = parse("vmx-test-log.txt");

        assertThat(result.tests()).isEmpty();
        assertThat(result.checks()).extracting(KutTest::status).containsExactly(KutStatus.PASS, KutStatus.PASS,
                KutStatus.PASS, KutStatus.XFAIL, KutStatus.FAIL, KutStatus.SKIP);
        assertThat(result.checks().get(4).name()).isEqualTo("test vmxon with unaligned vmxon region");
        assertThat(result.summary()).isEqualTo(new KutCounts(6, 1, 1, 1));
        assertThat(result.entries()).isEqualTo(result.checks());
    }

    @Test
    void tapOutputWithPlanLast() {
        KutResult result = parse("tap.txt");

        assertThat(result.format()).isEqualTo(KutFormat.TAP);
        assertThat(result.tests()).extracting(KutTest::name).containsExactly("apic-split", "msr", "pmu", "vmx",
                "vmx_apic_passthrough_thread", "vmx_pf_exception_test", "svm");
        assertThat(result.tests()).extracting(KutTest::status).containsExactly(KutStatus.PASS, KutStatus.PASS,
                KutStatus.SKIP, KutStatus.SKIP, KutStatus.FAIL, KutStatus.TIMEOUT, KutStatus.SKIP);
        assertThat(result.tests().get(3).reason()).isEqualTo("/sys/module/kvm_intel/parameters/nested not equal to Y");
        assertThat(result.tests().get(4).counts()).isEqualTo(new KutCounts(3, 1, 0, 0));
        assertThat(result.tests().get(5).reason()).isEqualTo("timeout; duration=90s");
        assertThat(result.tests().get(6).reason()).isEqualTo("x86_64 only");
    }

    @Test
    void tapCutShortBeforeItsPlanIsRefused() {
        assertThatThrownBy(() -> parse("tap-cut-short.txt")).isInstanceOf(UnreadableOutputException.class)
                .hasMessageStartingWith("tap-cut-short.txt:6: TAP output without its plan line '1..N'");
    }

    @Test
    void tapWhosePlanDisagreesNamesThePlanLine() {
        assertThatThrownBy(() -> parse("tap-plan-mismatch.txt"))
                .hasMessage("tap-plan-mismatch.txt:4: the plan says 1..3 but 2 test lines were found");
    }

    @Test
    void malformedSummaryAndRunnerLinesNameTheirLine() {
        assertThatThrownBy(() -> parse("bad-summary.txt"))
                .hasMessageStartingWith("bad-summary.txt:2: expected 'SUMMARY: N tests");
        assertThatThrownBy(() -> parse("bad-runner-line.txt"))
                .hasMessage("bad-runner-line.txt:1: expected 'PASS NAME (N tests, ...)', got 'PASS msr (15 tests'");
    }

    @Test
    void outputWithoutAnyResultIsRefused() {
        assertThatThrownBy(() -> KutOutput.parse("x.log", "Makefile:3: *** missing separator.\n"))
                .hasMessageStartingWith("x.log: no kvm-unit-tests result line");
    }

    @Test
    void aTestLogThatEndsBeforeItsSummaryIsACrashNeverAPass() {
        KutResult result = parse("test-log-no-summary.txt");

        assertThat(result.summary()).isNull();
        assertThat(result.entries()).extracting(KutTest::status)
                .containsExactly(KutStatus.PASS, KutStatus.PASS, KutStatus.FAIL);
        KutTest crash = result.entries().get(2);
        assertThat(crash.name()).isEqualTo(KutOutput.NO_SUMMARY);
        assertThat(crash.reason()).startsWith("the log ends after 2 check(s) without the SUMMARY line")
                .contains("crashed, hung or was killed");
        assertThat(result.count(KutStatus.FAIL)).isEqualTo(1);
    }

    @Test
    void aSummaryThatDisagreesWithTheCheckLinesIsRefusedAtItsLine() {
        assertThatThrownBy(() -> parse("test-log-summary-mismatch.txt"))
                .isInstanceOf(UnreadableOutputException.class)
                .hasMessageStartingWith("test-log-summary-mismatch.txt:11: 'SUMMARY: 5 tests, 1 unexpected failures'"
                        + " disagrees with the 2 check lines before it (1 failed, 0 skipped, 0 expected failures)");
    }

    @Test
    void handWrittenTotalsUnderRunnerOutputAreNoTestsAndMustAddUp() {
        KutResult result = parse("runner-hand-totals.txt");
        assertThat(result.tests()).extracting(KutTest::name).containsExactly("apic-split", "msr", "vmx");

        String wrong = TestOutputs.read(KutOutputTest.class, "runner-hand-totals.txt").replace("PASS 2", "PASS 23");
        assertThatThrownBy(() -> KutOutput.parse("totals.txt", wrong))
                .hasMessage("totals.txt:5: 'PASS 23' reads as a total, not a test, but 2 PASS lines were found");
    }

    @Test
    void theOlderSingleTestStyleOf2013IsRead() {
        KutResult result = parse("old-style-2013.txt");
        assertThat(result.entries()).extracting(KutTest::name, KutTest::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("VMX enable", KutStatus.PASS),
                org.assertj.core.groups.Tuple.tuple("vmxon", KutStatus.PASS),
                org.assertj.core.groups.Tuple.tuple("vmptrld", KutStatus.FAIL),
                org.assertj.core.groups.Tuple.tuple("vmclear", KutStatus.PASS));
        assertThat(result.summary()).isEqualTo(new KutCounts(4, 1, 0, 0));

        KutResult bare = parse("old-style-2013-bare.txt");
        assertThat(bare.summary()).isEqualTo(new KutCounts(2, 0, 0, 0));
        assertThat(bare.entries()).hasSize(2).allMatch(test -> test.status() == KutStatus.PASS);
    }

    @Test
    void tapChecksOfOneTestKeepTheirOwnNamesAndReasons() {
        KutResult result = parse("tap-checks.txt");
        assertThat(result.tests()).extracting(KutTest::name, KutTest::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("msr", ""),
                org.assertj.core.groups.Tuple.tuple("vmx: test_vmxon", "vmxon with unaligned region succeeded"),
                org.assertj.core.groups.Tuple.tuple("vmx: test_vmptrld", "vmptrld with VMXON pointer succeeded"),
                org.assertj.core.groups.Tuple.tuple("vmx_pf_exception_test", "timeout; duration=90s"));
        assertThat(result.tests().get(3).status()).isEqualTo(KutStatus.TIMEOUT);
    }
}
