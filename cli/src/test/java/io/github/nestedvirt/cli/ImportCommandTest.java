package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {

    /** What run_tests.sh prints on a terminal, saved on Windows: colours and CRLF. */
    private static final String RUNNER = "\u001B[32mPASS\u001B[0m msr (15 tests)\r\n"
            + "\u001B[33mSKIP\u001B[0m vmx (/sys/module/kvm_intel/parameters/nested not equal to Y)\r\n"
            + "\u001B[31mFAIL\u001B[0m vmx_apic_passthrough_thread (3 tests, 1 unexpected failures)\r\n";

    @TempDir
    Path dir;

    @Test
    void guestfishLoopRoundTrip() throws Exception {
        Path log = dir.resolve("guestfish-l1.log");
        Files.writeString(log, "\nreal\t0m55.120s\nuser\t0m0.040s\nsys\t0m0.020s\n"
                + "\nreal\t0m9.610s\nuser\t0m0.040s\nsys\t0m0.020s\n"
                + "\nreal\t0m8.702s\nuser\t0m0.041s\nsys\t0m0.020s\n");
        Path results = dir.resolve("results");

        NvmxCall call = NvmxCall.of("import", "guestfish-loop", log.toString(), "--level", "L1", "--host", "l1",
                "--variant", "shadowVmcs=on", "--time", "2013-06-01T12:00:00Z", "--results", results.toString());

        assertThat(call.exitCode()).as(call.err()).isEqualTo(0);
        Run run = new ResultStore(results).loadAll().runs().get(0);
        assertThat(call.out()).contains("Stored in " + results.resolve(run.id()));
        assertThat(run.plan()).isEqualTo("import");
        assertThat(run.start()).isEqualTo(Instant.parse("2013-06-01T12:00:00Z"));
        Measurement launch = run.measurements().get(0);
        assertThat(launch.key()).isEqualTo("guestfish-launch/seconds@L1,shadowVmcs=on");
        assertThat(launch.host()).isEqualTo("l1");
        assertThat(launch.samples().get(0).warmup()).isTrue();
        assertThat(launch.values()).containsExactly(9.61, 8.702);
    }

    @Test
    void kvmUnitTestsWithColoursAndWindowsLineEndsWritesJUnitXml() throws Exception {
        Path log = dir.resolve("kut.log");
        Files.writeString(log, RUNNER);
        Path results = dir.resolve("results");

        NvmxCall call = NvmxCall.of("import", "kvm-unit-tests", log.toString(), "--level", "L1", "--results",
                results.toString());

        assertThat(call.exitCode()).as(call.err()).isEqualTo(0);
        Run run = new ResultStore(results).loadAll().runs().get(0);
        assertThat(run.measurements()).extracting(m -> m.metric() + "=" + m.values()[0])
                .containsExactly("passed=1.0", "failed=1.0", "skipped=1.0", "timeouts=0.0");
        assertThat(run.measurements().get(0).attributes())
                .containsEntry("skip.vmx", "/sys/module/kvm_intel/parameters/nested not equal to Y");
        Path junit = results.resolve(run.id()).resolve("junit.xml");
        assertThat(call.out()).contains("Wrote " + junit);
        assertThat(Files.readString(junit)).contains("<skipped message=\"/sys/module/kvm_intel/parameters/nested");
    }

    @Test
    void unreadableOutputNamesFileAndLineAndStoresNothing() throws Exception {
        Path csv = dir.resolve("kvm_stat.csv");
        Files.writeString(csv, "timestamp,kvm_entry,kvm_exit\r\n2025-03-14 10:00:03,4560,4560\r\n"
                + "2025-03-14 10:00:06,4561\r\n");
        Path results = dir.resolve("results");

        NvmxCall call = NvmxCall.of("import", "kvm-stat", csv.toString(), "--level", "L0", "--results",
                results.toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains(csv + ":3: expected 2 counts, one per event of the header on line 1, got 1");
        assertThat(results).doesNotExist();
    }

    @Test
    void unknownFormatListsTheKnownOnes() throws Exception {
        Path file = dir.resolve("x.txt");
        Files.writeString(file, "x");

        NvmxCall call = NvmxCall.of("import", "perf", file.toString(), "--level", "L0", "--results",
                dir.resolve("r").toString());

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("unknown format 'perf'; known formats: kvm-unit-tests, time, guestfish-loop,"
                + " kvm-stat, netperf, iperf3");
    }

    @Test
    void missingFileIsBadInput() {
        NvmxCall call = NvmxCall.of("import", "time", dir.resolve("nope.log").toString(), "--level", "L0");

        assertThat(call.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(call.err()).contains("nope.log: no such file");
    }
}
