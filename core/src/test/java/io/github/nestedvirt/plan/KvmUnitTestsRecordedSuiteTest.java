package io.github.nestedvirt.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.bench.BenchmarkFailedException;
import io.github.nestedvirt.bench.KvmUnitTests;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.bench.RecordedKvmUnitTestsSuite;
import io.github.nestedvirt.facts.KvmProbe;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kvm-unit-tests through a plan, for real up to the suite itself: the suite is in no registry our
 * machines reach (not in Debian, not on Maven Central, no internet), so {@code source} is a local
 * directory whose {@code configure}, {@code Makefile} and {@code run_tests.sh} replay runner output we
 * recorded. Everything around it is real: the tool check, the KVM probe, the copy, configure and make
 * on the host, the runner's arguments and environment, the parsers, the JUnit XML and the counts.
 */
class KvmUnitTestsRecordedSuiteTest {

    @TempDir
    Path dir;
    private Path suite;

    @BeforeEach
    void copySuite() throws Exception {
        suite = RecordedKvmUnitTestsSuite.copyTo(dir.resolve("kvm-unit-tests"));
    }

    private Run run(String entry) throws Exception {
        Plan plan = new PlanReader().read("""
                name: kut
                hosts:
                  l0: {level: L0, local: true}
                benchmarks:
                  - {type: kvm-unit-tests, host: l0, source: %s, workDir: %s, accel: tcg, %s}
                """.formatted(suite, dir.resolve("work"), entry), "kut.yaml");
        RunOutcome outcome = new PlanRunner(dir.resolve("results"), Progress.NONE).run(plan);
        assertThat(outcome.run().failures()).isEmpty();
        return outcome.run();
    }

    private static Measurement metric(Run run, String metric) {
        return run.measurements().stream().filter(m -> m.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void recordedSuiteRunsFromAPlanWithEveryTestKeptAsJUnitXmlAndCounts() throws Exception {
        Run run = run("tap: false");

        assertThat(metric(run, "passed").values()).containsExactly(5);
        assertThat(metric(run, "failed").values()).containsExactly(3);
        assertThat(metric(run, "skipped").values()).containsExactly(3);
        Measurement failed = metric(run, "failed");
        assertThat(failed.variant()).containsEntry("groups", "all").containsEntry("accel", "tcg");
        assertThat(failed.attributes()).containsEntry("failedTests",
                "vmx_apic_passthrough_thread, vmx_pf_exception_test, hyperv_clock")
                .containsEntry("timeouts", "1").containsEntry("skippedBecauseNestedIsOff", "1");
        assertThat(Files.readString(dir.resolve("work/src/args.seen")).strip()).isEqualTo("ACCEL=tcg TIMEOUT=90s");

        Path junit = dir.resolve("results").resolve(run.id()).resolve("junit/kvm-unit-tests-l0-all.xml");
        String xml = Files.readString(junit);
        assertThat(xml).contains("<testsuite name=\"kvm-unit-tests.l0\" tests=\"11\" failures=\"3\" errors=\"0\" "
                + "skipped=\"3\"")
                .contains("<testcase classname=\"kvm-unit-tests.l0\" name=\"vmx\"><skipped message=\""
                        + "/sys/module/kvm_intel/parameters/nested not equal to Y\"")
                .contains("<failure type=\"TIMEOUT\" message=\"timeout; duration=90s\"");
        assertThat(Files.exists(suite.resolve("built"))).as("the suite's own directory is left untouched").isFalse();
    }

    @Test
    void groupsTestsAndTapAreHandedToTheRunnerAndTapIsRead() throws Exception {
        Run run = run("groups: [vmx], tests: [vmx, vmx_pf_exception_test], tap: true, testTimeoutSeconds: 30");

        assertThat(Files.readString(dir.resolve("work/src/args.seen")).strip())
                .isEqualTo("-g vmx -t vmx vmx_pf_exception_test ACCEL=tcg TIMEOUT=30s");
        assertThat(metric(run, "passed").values()).containsExactly(2);
        assertThat(metric(run, "failed").values()).containsExactly(2);
        assertThat(metric(run, "skipped").values()).containsExactly(3);
        assertThat(metric(run, "passed").attributes()).containsEntry("format", "tap");
        assertThat(metric(run, "passed").variant()).containsEntry("groups", "vmx+2-tests");
        assertThat(metric(run, "passed").attributes()).containsEntry("namedTests", "vmx vmx_pf_exception_test");
        assertThat(dir.resolve("results").resolve(run.id()).resolve("junit/kvm-unit-tests-l0-vmx+2-tests.xml"))
                .exists();
    }

    @Test
    void withAccelKvmTheSuiteRunsUnderKvmWhereItWorksAndIsRefusedWithTheProbesFindingWhereItDoesNot()
            throws Exception {
        KvmUnitTests suiteRun = new KvmUnitTests(KvmUnitTests.Parameters.fromPlan(suite.toString(),
                dir.resolve("work").toString(), null, null, null, null, null, null));

        // what this machine's KVM does decides which way the engine must go: both are checked here
        KvmStatus here = new KvmProbe(KvmProbe.DEFAULT_TIMEOUT).probe(new LocalHost());
        System.out.println("KVM on this machine: " + here);
        if (here.usable()) {
            KvmUnitTests.Outcome outcome = suiteRun.run(new LocalHost(), Level.L0, Progress.NONE);
            assertThat(Files.readString(dir.resolve("work/src/args.seen")).strip()).isEqualTo("ACCEL=kvm TIMEOUT=90s");
            assertThat(outcome.measurements()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.variant()).containsEntry("accel", "kvm"));
            assertThat(outcome.measurements()).filteredOn(m -> m.metric().equals("passed"))
                    .singleElement().satisfies(m -> assertThat(m.values()).containsExactly(5));
            return;
        }
        // no /dev/kvm, or one under which a guest aborts or hangs
        assertThatThrownBy(() -> suiteRun.run(new LocalHost(), Level.L0, Progress.NONE))
                .isInstanceOf(BenchmarkFailedException.class)
                .hasMessageStartingWith("local: kvm-unit-tests: no usable /dev/kvm on this host (" + here.state())
                .hasMessageContaining("or set accel: tcg");
        assertThat(dir.resolve("work")).as("nothing is fetched before the check").doesNotExist();
    }

    @Test
    void aBuildFailureShowsTheEndOfTheBuildLog() throws IOException {
        Files.writeString(suite.resolve("Makefile"), "all:\n\t@echo 'x86/vmx.c:42: error: vmcs12 undeclared' >&2\n"
                + "\t@exit 2\n");
        KvmUnitTests suiteRun = new KvmUnitTests(KvmUnitTests.Parameters.fromPlan(suite.toString(),
                dir.resolve("work").toString(), null, null, "tcg", null, null, null));

        assertThatThrownBy(() -> suiteRun.run(new LocalHost(), Level.L0, Progress.NONE))
                .hasMessageStartingWith("local: kvm-unit-tests: the build failed with exit status 2; the end of "
                        + dir.resolve("work/build.log"))
                .hasMessageContaining("configured")
                .hasMessageContaining("x86/vmx.c:42: error: vmcs12 undeclared")
                .hasMessageEndingWith("make: *** [Makefile:3: all] Error 2");
    }
}
