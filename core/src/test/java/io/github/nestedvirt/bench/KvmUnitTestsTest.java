package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.kut.KutOutput;
import io.github.nestedvirt.kut.KutResult;
import io.github.nestedvirt.kut.KutStatus;
import io.github.nestedvirt.kut.KutTest;
import io.github.nestedvirt.result.Level;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kvm-unit-tests benchmark refuses before it fetches anything; the runs are in KvmUnitTestsRecordedSuiteTest. */
class KvmUnitTestsTest {

    @TempDir
    Path dir;

    @Test
    void missingToolsAreNamedAllAtOnceBeforeAnythingIsFetched() {
        // a host whose PATH holds none of them: the shell's own lookup finds nothing
        TestLocalHost bare = new TestLocalHost(List.of("env", "PATH=" + dir.resolve("empty")));
        KvmUnitTests suite = new KvmUnitTests(KvmUnitTests.Parameters.fromPlan(
                "https://gitlab.com/kvm-unit-tests/kvm-unit-tests.git", dir.resolve("work").toString(), null, null,
                "tcg", null, null, null));

        assertThatThrownBy(() -> suite.run(bare, Level.L1, Progress.NONE))
                .isInstanceOf(BenchmarkFailedException.class)
                .hasMessage("local: kvm-unit-tests: missing on this host: make, gcc, tar, qemu-system-x86_64, git; "
                        + "install them (Debian: build-essential, qemu-system-x86, git)");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @Test
    void sourcesAreToldApartByTheirForm() {
        assertThat(parameters("https://gitlab.com/kvm-unit-tests/kvm-unit-tests.git").isGit()).isTrue();
        assertThat(parameters("git://example.org/kvm-unit-tests").isGit()).isTrue();
        assertThat(parameters("https://example.org/kvm-unit-tests-v2024.tar.gz").isTarball()).isTrue();
        assertThat(parameters("/srv/kvm-unit-tests.tar.xz").isTarball()).isTrue();
        KvmUnitTests.Parameters directory = parameters("/srv/kvm-unit-tests");
        assertThat(directory.isGit() || directory.isTarball()).isFalse();
        assertThat(new KvmUnitTests(directory).fetchCommand("/w/src"))
                .isEqualTo("test -x /srv/kvm-unit-tests/run_tests.sh && rm -rf /w/src && mkdir -p /w/src && "
                        + "cp -a /srv/kvm-unit-tests/. /w/src");
    }

    @Test
    void aGroupOrTestThatIsNoNameIsRefusedNamingItsPosition() {
        assertThatThrownBy(() -> KvmUnitTests.Parameters.fromPlan("/srv/kut", null, List.of("vmx; reboot"),
                null, null, null, null, null))
                .hasMessage("groups[0]: 'vmx; reboot' is not a group name of unittests.cfg, e.g. vmx");
        assertThatThrownBy(() -> KvmUnitTests.Parameters.fromPlan("/srv/kut", null, null, List.of("svm", "$(reboot)"),
                null, null, null, null, null))
                .hasMessage("tests[1]: '$(reboot)' is not a test name of unittests.cfg, e.g. vmx_apic_passthrough_thread");
        assertThatThrownBy(() -> KvmUnitTests.Parameters.fromPlan("/srv/kut", null, null, null, "hvf", null, null, null))
                .hasMessage("accel: must be kvm or tcg, got 'hvf'");
    }

    @Test
    void moreThanOneGroupIsRefusedSinceTheRunnerWouldMatchNoTest() {
        assertThatThrownBy(() -> KvmUnitTests.Parameters.fromPlan("/srv/kut", null, List.of("vmx", "apic"),
                null, null, null, null, null))
                .hasMessage("groups: run_tests.sh runs one group at a time, got [vmx, apic]: give one group, or "
                        + "name the tests with tests");
    }

    @Test
    void aNamedTestTheRunnerPrintedNothingForFailsUnlessAGroupOrTapMayLeaveItOut() {
        // the runner's lines when it stopped after the first of three named tests
        KutResult cut = KutOutput.parse("run.log", "PASS vmexit_cpuid (1 tests)\n");
        List<String> named = List.of("vmexit_cpuid", "msr", "svm");

        KutResult accounted = new KvmUnitTests(KvmUnitTests.Parameters.fromPlan("/srv/kut", null, null, named, null,
                null, null, null, null)).withEveryNamedTest(cut, "/w/run.log on l1");
        assertThat(accounted.entries()).extracting(KutTest::name).containsExactly("vmexit_cpuid", "msr", "svm");
        assertThat(accounted.count(KutStatus.FAIL)).isEqualTo(2);
        assertThat(accounted.entries().get(1).reason()).isEqualTo("no outcome: the runner printed no line for it (it "
                + "stopped before this test, or unittests.cfg has no test of this name); see /w/run.log on l1");

        // a group runs only its own named tests, and TAP leaves out the runner's SKIPs: silence is no failure there
        KvmUnitTests grouped = new KvmUnitTests(KvmUnitTests.Parameters.fromPlan("/srv/kut", null, List.of("vmx"),
                named, null, null, null, null, null));
        KvmUnitTests tap = new KvmUnitTests(KvmUnitTests.Parameters.fromPlan("/srv/kut", null, null, named, true,
                null, null, null, null));
        assertThat(grouped.withEveryNamedTest(cut, "run.log").entries()).hasSize(1);
        assertThat(tap.withEveryNamedTest(cut, "run.log").entries()).hasSize(1);
    }

    private static KvmUnitTests.Parameters parameters(String source) {
        return KvmUnitTests.Parameters.fromPlan(source, null, null, null, null, null, null, null);
    }
}
