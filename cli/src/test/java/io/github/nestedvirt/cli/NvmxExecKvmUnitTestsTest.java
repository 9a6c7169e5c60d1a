package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.bench.RecordedKvmUnitTestsSuite;
import io.github.nestedvirt.bench.UpstreamKvmUnitTestsSuite;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.rundir.StepRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nestedKvmUnitTests} through {@code nvmx exec} on L0, as the Jenkins step runs it: with the
 * upstream tarball ({@link UpstreamKvmUnitTestsSuite}), and with the suite whose scripts replay runner
 * output we recorded (for the runner's arguments and a build that fails). Under TCG, since KVM does
 * not work here.
 */
class NvmxExecKvmUnitTestsTest {

    @TempDir
    Path temp;

    @Test
    void theRecordedSuiteRunsAsAStepAndLeavesItsJUnitXmlInTheRunDirectory() throws Exception {
        Path suite = RecordedKvmUnitTestsSuite.copyTo(temp.resolve("kvm-unit-tests"));
        RunDirectory dir = RunDirectory.create(temp.resolve("kut"));
        dir.writeRequest(new StepRequest("nestedKvmUnitTests", Map.of("source", suite.toString(),
                "workDir", temp.resolve("work").toString(), "accel", "tcg", "groups", List.of("vmx"),
                "resultsId", "kut-l0")));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        // failed tests are results, not a failed step: the junit step marks the build
        assertThat(call.exitCode()).as(Files.readString(dir.logFile())).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(temp.resolve("work/src/args.seen")).strip())
                .isEqualTo("-g vmx ACCEL=tcg TIMEOUT=90s");
        Run run = ResultJson.readRun(Files.readAllBytes(dir.resultFile()), dir.resultFile().toString());
        assertThat(run.plan()).isEqualTo("kut-l0");
        assertThat(run.measurements()).extracting(m -> m.metric() + "=" + m.values()[0])
                .containsExactly("passed=1.0", "failed=2.0", "skipped=1.0");
        String xml = Files.readString(dir.junitFile());
        assertThat(xml).contains("<testsuite name=\"kvm-unit-tests.l0\" tests=\"4\" failures=\"2\"")
                .contains("<testcase classname=\"kvm-unit-tests.l0\" name=\"vmx\"><skipped");
        assertThat(xml).isEqualTo(Files.readString(dir.path().resolve("results").resolve(run.id())
                .resolve("junit/kvm-unit-tests-l0-vmx.xml")));
        assertThat(Files.readString(dir.logFile())).contains("JUnit XML of the suite in " + dir.junitFile());
    }

    @Test
    void theUpstreamSuiteRunsAsAStepUnderTcgAndLeavesItsJUnitXml() throws Exception {
        Path tarball = UpstreamKvmUnitTestsSuite.required();
        RunDirectory dir = RunDirectory.create(temp.resolve("kut-upstream"));
        dir.writeRequest(new StepRequest("nestedKvmUnitTests", Map.of("source", tarball.toString(),
                "workDir", temp.resolve("work").toString(), "accel", "tcg", "testTimeoutSeconds", 20,
                "tests", List.of("setjmp", "taskswitch"), "resultsId", "kut-l0")));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(call.exitCode()).as(Files.readString(dir.logFile())).isEqualTo(ExitCode.OK);
        String xml = Files.readString(dir.junitFile());
        // the i386-only test is the suite's own SKIP; setjmp ran under QEMU, passed or not
        assertThat(xml).contains("<testsuite name=\"kvm-unit-tests.l0\" tests=\"2\"")
                .contains("<testcase classname=\"kvm-unit-tests.l0\" name=\"taskswitch\"><skipped message=\"i386 only\"")
                .contains("name=\"setjmp\"");
        assertThat(Files.readString(dir.logFile())).contains("./run_tests.sh setjmp taskswitch (tcg)");
    }

    @Test
    void aSuiteThatCannotBeBuiltFailsTheStepAndLeavesNoJUnitXml() throws Exception {
        Path suite = RecordedKvmUnitTestsSuite.copyTo(temp.resolve("kvm-unit-tests"));
        Files.writeString(suite.resolve("Makefile"), "all:\n\t@echo 'x86/vmx.c:42: error' >&2\n\t@exit 2\n");
        RunDirectory dir = RunDirectory.create(temp.resolve("broken"));
        dir.writeRequest(new StepRequest("nestedKvmUnitTests", Map.of("source", suite.toString(),
                "workDir", temp.resolve("work").toString(), "accel", "tcg")));

        NvmxCall call = NvmxCall.of("exec", "--run-dir", dir.path().toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BENCHMARK_FAILED);
        assertThat(Files.readString(dir.logFile())).contains("the build failed with exit status 2")
                .contains("x86/vmx.c:42: error");
        assertThat(dir.junitFile()).doesNotExist();
    }
}
