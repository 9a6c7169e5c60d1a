package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl-C, a CI abort or {@code kill} sends) in the middle of a benchmark: nvmx, a
 * real separate JVM here, ends the benchmark's processes, keeps what it measured and exits.
 */
class NvmxSignalTest {

    private static final int PORT = 25321;

    @TempDir
    Path temp;

    @Test
    void sigtermDuringABenchmarkKeepsTheResultsAndLeavesNoProcess() throws Exception {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.writeString(tree.resolve("file"), "data");
        Path plan = temp.resolve("plan.yaml");
        Files.writeString(plan, """
                name: interrupted
                hosts: {l0: {level: L0, local: true}}
                benchmarks:
                  - {type: io, host: l0, paths: [%s], warmups: 0, runs: 1, maxRuns: 1}
                  - {type: net, server: l0, client: l0, address: 127.0.0.1, port: %d, seconds: 120,
                     warmups: 0, runs: 1, maxRuns: 1}
                """.formatted(tree, PORT));
        Path results = temp.resolve("results");
        Path stderr = temp.resolve("stderr.txt");
        Process nvmx = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Nvmx.class.getName(),
                "run", plan.toString(), "--results", results.toString())
                .redirectError(stderr.toFile()).redirectOutput(temp.resolve("stdout.txt").toFile()).start();
        try {
            awaitIperf3Client(nvmx, stderr);

            nvmx.destroy(); // SIGTERM
            assertThat(nvmx.waitFor(60, TimeUnit.SECONDS)).as("nvmx ended within 60 s of SIGTERM").isTrue();
        } finally {
            nvmx.destroyForcibly();
        }

        assertThat(Iperf3Processes.on(PORT)).as("iperf3 left running; nvmx stderr:%n%s", Files.readString(stderr)).isEmpty();
        Run run = new ResultStore(results).loadAll().runs().get(0);
        assertThat(run.end()).isNotNull();
        assertThat(run.measurements()).isNotEmpty().allSatisfy(m -> assertThat(m.benchmark()).isEqualTo("io-scan"));
        assertThat(run.failures()).singleElement().asString().contains("benchmarks[1]").endsWith("interrupted");
        assertThat(Files.readString(stderr)).contains("interrupted, stopping and saving what was measured");
    }

    /** Waits until the 120 s iperf3 client of the plan is running. */
    private static void awaitIperf3Client(Process nvmx, Path stderr) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Iperf3Processes.on(PORT).stream().noneMatch(line -> line.contains(" iperf3 -c "))) {
            assertThat(nvmx.isAlive()).as("nvmx still running; its stderr: %s", Files.readString(stderr)).isTrue();
            assertThat(Instant.now()).as("iperf3 client started").isBefore(deadline);
            Thread.sleep(200);
        }
    }

}
