package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.nestedvirt.bench.UpstreamKvmUnitTestsSuite;
import io.github.nestedvirt.provision.TestKernelTree;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, exit codes, messages. */
class NvmxTest {

    @TempDir
    Path temp;

    private String out;
    private String err;

    private int nvmx(String... args) {
        NvmxCall call = NvmxCall.of(args);
        out = call.out();
        err = call.err();
        return call.exitCode();
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        assertThat(nvmx("--help")).isZero();
        assertThat(out).contains("preflight", "bench", "run", "report", "Exit codes:", "130");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String[] command : new String[][] {{"preflight"}, {"run"}, {"report"}, {"bench"},
            {"bench", "guestfish"}, {"bench", "io"}, {"bench", "kernel"}, {"bench", "kvm-unit-tests"},
            {"bench", "net"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--help")).toArray(String[]::new);
            assertThat(nvmx(args)).as(String.join(" ", args)).isZero();
            assertThat(out).as(String.join(" ", args)).contains("Usage: nvmx " + String.join(" ", command));
        }
    }

    @Test
    void kvmUnitTestsFromTheCommandLineRunTheRecordedSuiteAndPrintTheCounts() throws Exception {
        // the suite is in no registry our machines reach: a directory replaying our recorded runner output
        Path suite = temp.resolve("suite");
        Path recorded = Path.of("../core/src/test/resources/io/github/nestedvirt/bench/kvm-unit-tests-recorded");
        try (var files = Files.walk(recorded)) {
            for (Path file : files.toList()) {
                Path target = suite.resolve(recorded.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        for (String script : new String[] {"configure", "run_tests.sh"}) {
            suite.resolve(script).toFile().setExecutable(true);
        }

        int exit = nvmx("bench", "kvm-unit-tests", "--source", suite.toString(), "--work-dir",
                temp.resolve("work").toString(), "--accel", "tcg", "--group", "vmx", "--no-tap",
                "--results", temp.resolve("results").toString());

        assertThat(exit).as(err).isZero();
        assertThat(out).containsPattern("kvm-unit-tests +passed +L0 +local +accel=tcg,groups=vmx +1 +1 ")
                .containsPattern("kvm-unit-tests +failed +L0 +local +accel=tcg,groups=vmx +1 +2 ")
                .containsPattern("kvm-unit-tests +skipped +L0 +local +accel=tcg,groups=vmx +1 +1 ");
        try (var runs = Files.list(temp.resolve("results"))) {
            Path run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
            assertThat(run.resolve("junit/kvm-unit-tests-local-vmx.xml")).exists();
        }
    }

    @Test
    void kvmUnitTestsFromTheCommandLineBuildAndRunTheUpstreamTarballUnderTcg() throws Exception {
        Path tarball = UpstreamKvmUnitTestsSuite.required();

        // two tests that run under TCG, and one the suite itself marks i386-only
        int exit = nvmx("bench", "kvm-unit-tests", "--source", tarball.toString(), "--work-dir",
                temp.resolve("work").toString(), "--accel", "tcg", "--test-timeout", "20", "--test", "tsc",
                "--test", "setjmp", "--test", "taskswitch", "--results", temp.resolve("results").toString());

        assertThat(exit).as(err).isZero();
        assertThat(Files.readString(temp.resolve("work/src/x86/unittests.cfg")))
                .containsPattern("\\[taskswitch]\\s*\\n(?:[^\\[]*\\n)?arch = i386");
        assertThat(out).containsPattern("kvm-unit-tests +skipped +L0 +local +accel=tcg,groups=3-tests +1 +1 ");
        try (var runs = Files.list(temp.resolve("results"))) {
            Path run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
            String junit = Files.readString(run.resolve("junit/kvm-unit-tests-local-3-tests.xml"));
            assertThat(junit).contains("name=\"tsc\"").contains("name=\"setjmp\"")
                    .contains("name=\"taskswitch\"><skipped message=\"i386 only\"");
        }
    }

    @Test
    void aMatrixPlanOnAHostWithoutKvmIntelIsRefusedBeforeAnythingRuns() throws Exception {
        Path plan = Files.writeString(temp.resolve("matrix.yaml"), """
                name: matrix
                hosts:
                  l0: {level: L0, local: true}
                matrix: {mmu: [shadow-on-ept, ept-on-ept]}
                benchmarks:
                  - {type: io, host: l0, paths: [/tmp]}
                """);
        assumeFalse(Files.isDirectory(Path.of("/sys/module/kvm_intel")),
                "kvm_intel is loaded here: the matrix would run, not be refused");

        assertThat(nvmx("run", plan.toString(), "--results", temp.resolve("results").toString()))
                .isEqualTo(ExitCode.PREFLIGHT_FAILED);
        assertThat(err).contains("nvmx: kvm module: local: kvm_intel is not loaded (loaded: ")
                .contains("load it with 'modprobe kvm_intel' on an Intel host");
        assertThat(temp.resolve("results")).doesNotExist();
    }

    @Test
    void aKernelBuildOfOneTargetIsRecordedAsSuch() throws Exception {
        Path tree = Path.of("/usr/src/linux-source-6.1");
        TestKernelTree.ensure(tree);
        int code = nvmx("bench", "kernel", "--source", tree.toString(), "--config", "tinyconfig", "--target", "prepare",
                "--work-dir", temp.resolve("work").toString(), "--runs", "1", "--max-runs", "1",
                "--results", temp.resolve("results").toString(), "--json");

        assertThat(code).as(err).isZero();
        Measurement build = ResultJson.mapper().readValue(out, Run.class).measurements().get(0);
        assertThat(build.variant()).containsEntry("config", "tinyconfig").containsEntry("targets", "prepare");
        assertThat(temp.resolve("work/build/include/generated/asm-offsets.h")).isRegularFile();
        assertThat(temp.resolve("work/build/vmlinux")).doesNotExist();
    }

    @Test
    void guestfishHangOptionsAreCheckedBeforeAnythingRuns() {
        assertThat(nvmx("bench", "guestfish", "--retries-on-hang", "-1", "--results",
                temp.resolve("results").toString())).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).contains("retriesOnHang: must be 0 or more, got -1");
        assertThat(nvmx("bench", "guestfish", "--timeout", "0", "--results", temp.resolve("results").toString()))
                .isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).contains("timeoutSeconds: must be a positive number of seconds, got 0");
        assertThat(temp.resolve("results")).doesNotExist();
    }

    @Test
    void unknownOptionIsBadInput() {
        assertThat(nvmx("run", "--no-such-option", "plan.yaml")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).contains("--no-such-option").contains("nvmx run --help");
    }

    @Test
    void misspelledPlanKeyIsBadInputNamingFileAndLine() throws Exception {
        Path plan = temp.resolve("typo.yaml");
        Files.writeString(plan, """
                name: typo
                hosts:
                  l0: {level: L0, local: true}
                benchmarks:
                  - type: io
                    host: l0
                    pathz: [/tmp]
                """);

        assertThat(nvmx("run", plan.toString(), "--results", temp.resolve("results").toString()))
                .isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).contains(plan + ":7:").contains("unknown key 'pathz'");
        assertThat(temp.resolve("results")).doesNotExist();
    }

    @Test
    void jumpWithoutTargetIsBadInput() {
        assertThat(nvmx("preflight", "--jump", "root@l0")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).contains("--jump: needs --ssh");
    }

    @Test
    void malformedSshAddressIsBadInput() {
        assertThat(nvmx("preflight", "--ssh", "root@l1:notaport")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).contains("--ssh").contains("no valid port");
    }
}
