package io.github.nestedvirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.nestedvirt.host.SshTestBed;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nvmx} end to end, for real: a plan run on this machine, the report of its results, and
 * preflight and a benchmark on an L2 reached through an L1, both real OpenSSH servers in network
 * namespaces (the L2 is not reachable from here directly).
 */
class NvmxEndToEndTest {

    private static SshTestBed bed;

    @TempDir
    Path temp;

    private String out;
    private String err;

    @BeforeAll
    static void startServers() throws Exception {
        bed = SshTestBed.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void runsAPlanStoresTheRunAndReportsIt() throws Exception {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        for (int i = 0; i < 5; i++) {
            Files.write(tree.resolve("file" + i), new byte[1000 * (i + 1)]);
        }
        Path plan = temp.resolve("plan.yaml");
        Files.writeString(plan, """
                name: e2e
                hosts:
                  l0: {level: L0, local: true}
                benchmarks:
                  - {type: io, host: l0, paths: [%s], warmups: 0, runs: 2, maxRuns: 2}
                  - {type: net, server: l0, client: l0, address: 127.0.0.1, port: 25311, seconds: 1,
                     warmups: 0, runs: 2, maxRuns: 2}
                """.formatted(tree));
        Path results = temp.resolve("results");

        assertThat(nvmx("run", plan.toString(), "--results", results.toString())).as(err).isZero();

        assertThat(out).contains("io-scan", "network-throughput", "Stored in " + results);
        ResultStore.Loaded loaded = new ResultStore(results).loadAll();
        assertThat(loaded.problems()).isEmpty();
        Run run = loaded.runs().get(0);
        assertThat(run.plan()).isEqualTo("e2e");
        assertThat(run.end()).isNotNull();
        assertThat(run.failures()).isEmpty();
        assertThat(run.fingerprint()).singleElement().satisfies(facts -> {
            assertThat(facts.level()).isEqualTo(Level.L0);
            assertThat(facts.kernel()).isEqualTo(uname());
        });
        Measurement seconds = run.measurements().stream()
                .filter(m -> m.benchmark().equals("io-scan") && m.metric().equals("seconds")).findFirst().orElseThrow();
        assertThat(seconds.values()).hasSize(2);
        assertThat(DoubleStream.of(seconds.values()).min().orElseThrow()).isPositive();
        assertThat(seconds.attributes()).containsEntry("files", "5").containsEntry("bytes", "15000");
        assertThat(run.measurements()).anySatisfy(m -> {
            assertThat(m.benchmark()).isEqualTo("network-throughput");
            assertThat(m.unit()).isEqualTo("Mbit/s");
            assertThat(m.values()).hasSize(2);
            assertThat(DoubleStream.of(m.values()).min().orElseThrow()).isGreaterThan(100);
        });

        assertThat(nvmx("report", results.toString())).as(err).isZero();
        String page = Files.readString(results.resolve("report.html"));
        assertThat(page).contains(run.id(), "io-scan", "network-throughput");
    }

    @Test
    void failedBenchmarkIsRecordedAndTheOthersStillRun() throws Exception {
        Path plan = temp.resolve("plan.yaml");
        Files.writeString(plan, """
                name: partly-broken
                hosts:
                  l0: {level: L0, local: true}
                benchmarks:
                  - {type: io, host: l0, paths: [%s], warmups: 0, runs: 1, maxRuns: 1}
                  - {type: io, host: l0, paths: [/etc], warmups: 0, runs: 1, maxRuns: 1}
                """.formatted(temp.resolve("missing")));

        assertThat(nvmx("run", plan.toString(), "--results", temp.resolve("results").toString()))
                .isEqualTo(ExitCode.BENCHMARK_FAILED);

        Run run = new ResultStore(temp.resolve("results")).loadAll().runs().get(0);
        assertThat(run.failures()).singleElement().asString().startsWith("benchmarks[0] io on l0: ")
                .contains(temp.resolve("missing").toString());
        assertThat(run.measurements()).isNotEmpty().allSatisfy(m -> assertThat(m.variant()).containsEntry("paths", "/etc"));
        assertThat(out).contains("Failures:");
    }

    @Test
    void preflightOfAnL2ThroughItsL1() throws Exception {
        int code = nvmx("preflight", "--json", "--level", "L2", "--ssh", "root@" + bed.l2Address(),
                "--jump", "root@" + bed.l1Address(), "--identity", bed.ecdsaKey().toString(),
                "--known-hosts", bed.knownHosts().toString());

        assertThat(code).as(err).isIn(ExitCode.OK, ExitCode.PREFLIGHT_FAILED);
        JsonNode report = ResultJson.mapper().readTree(out);
        assertThat(report.at("/facts/level").asText()).isEqualTo("L2");
        assertThat(report.at("/facts/host").asText()).startsWith("root@" + bed.l2Address())
                .contains("via root@" + bed.l1Address());
        assertThat(report.at("/facts/kernel").asText()).isEqualTo(uname());
        assertThat(report.at("/findings").size()).isPositive();
    }

    @Test
    void benchmarkOnAnL2ThroughItsL1() throws Exception {
        Path results = temp.resolve("results");
        int code = nvmx("bench", "io", "--level", "L2", "--ssh", "root@" + bed.l2Address(),
                "--jump", "root@" + bed.l1Address(), "--identity", bed.ecdsaKey().toString(),
                "--known-hosts", bed.knownHosts().toString(), "--path", "/etc", "--warmups", "0", "--runs", "1",
                "--max-runs", "1", "--results", results.toString(), "--json");

        assertThat(code).as(err).isZero();
        Run run = ResultJson.mapper().readValue(out, Run.class);
        assertThat(run.measurements()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.level()).isEqualTo(Level.L2);
            assertThat(m.host()).contains("via root@" + bed.l1Address());
        });
        assertThat(new ResultStore(results).loadAll().runs()).extracting(Run::id).containsExactly(run.id());
    }

    @Test
    void unknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        Path emptyKnownHosts = Files.createFile(temp.resolve("known_hosts"));

        int code = nvmx("preflight", "--ssh", "root@" + bed.l1Address(), "--identity", bed.ecdsaKey().toString(),
                "--known-hosts", emptyKnownHosts.toString());

        assertThat(code).isEqualTo(ExitCode.HOST_UNREACHABLE);
        assertThat(err).contains(bed.l1Address()).contains(bed.hostKeyFingerprint("l1"));
        assertThat(Files.readString(emptyKnownHosts)).isEmpty();
    }

    private int nvmx(String... args) {
        NvmxCall call = NvmxCall.of(args);
        out = call.out();
        err = call.err();
        return call.exitCode();
    }

    private static String uname() throws Exception {
        Process process = new ProcessBuilder("uname", "-r").start();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

}
