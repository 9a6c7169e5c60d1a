package io.github.nestedvirt.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.output.TestOutputs;
import io.github.nestedvirt.output.UnreadableOutputException;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImporterTest {

    @TempDir
    Path dir;

    private Path copy(Class<?> owner, String name) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, TestOutputs.read(owner, name));
        return file;
    }

    private static ImportRequest request(ImportFormat format, Path file) {
        return new ImportRequest(format, file, null, null, Level.L1, "l1", Map.of("shadowVmcs", "on"), null, null,
                Instant.parse("2013-06-01T12:00:00Z"));
    }

    @Test
    void guestfishLoopIsStoredAsALaunchMeasurementWithTheFirstRunAsWarmup() throws Exception {
        Path file = copy(ImporterTest.class, "guestfish-loop.txt");
        ResultStore store = new ResultStore(dir.resolve("results"));

        Importer.Imported imported = Importer.importFile(request(ImportFormat.GUESTFISH_LOOP, file), store);

        Run run = store.loadAll().runs().get(0);
        assertThat(run.plan()).isEqualTo("import");
        assertThat(run.start()).isEqualTo(Instant.parse("2013-06-01T12:00:00Z"));
        assertThat(imported.directory()).isEqualTo(store.root().resolve(run.id()));
        Measurement launch = run.measurements().get(0);
        assertThat(launch.key()).isEqualTo("guestfish-launch/seconds@L1,shadowVmcs=on");
        assertThat(launch.samples()).hasSize(10).first().isEqualTo(Sample.warmup(28.114));
        assertThat(launch.values()).hasSize(9).contains(2.812, 2.699);
        assertThat(launch.attributes()).containsEntry("importedFrom", file.toString()).containsEntry("output", "bash");
    }

    @Test
    void kvmUnitTestsGiveCountsReasonsAndJUnitXml() throws Exception {
        Path file = copy(io.github.nestedvirt.kut.KutOutput.class, "runner-ansi.txt");
        ResultStore store = new ResultStore(dir.resolve("results"));

        Importer.Imported imported = Importer.importFile(request(ImportFormat.KVM_UNIT_TESTS, file), store);

        List<Measurement> measurements = store.loadAll().runs().get(0).measurements();
        assertThat(measurements).extracting(Measurement::metric).containsExactly("passed", "failed", "skipped",
                "timeouts");
        assertThat(measurements).extracting(m -> m.values()[0]).containsExactly(5.0, 2.0, 3.0, 1.0);
        assertThat(measurements.get(2).attributes())
                .containsEntry("skip.vmx", "/sys/module/kvm_intel/parameters/nested not equal to Y")
                .containsEntry("timeout.vmx_pf_exception_test", "timeout; duration=90s");
        assertThat(imported.files()).containsExactly(imported.directory().resolve("junit.xml"));
        assertThat(Files.readString(imported.files().get(0))).contains("<testcase", "name=\"vmx\"");
    }

    @Test
    void kvmStatLogGivesOneMeasurementPerEventInEventsPerSecond() throws Exception {
        Path file = copy(io.github.nestedvirt.kvmstat.KvmStatOutput.class, "log.txt");

        List<Measurement> measurements = Importer.measurements(request(ImportFormat.KVM_STAT, file), "log.txt",
                Files.readString(file));

        assertThat(measurements).hasSize(12);
        Measurement nested = measurements.stream().filter(m -> m.metric().equals("kvm_nested_vmexit")).findFirst()
                .orElseThrow();
        assertThat(nested.unit()).isEqualTo("1/s");
        assertThat(nested.samples()).hasSize(22);
        assertThat(nested.values()[0]).isEqualTo(120.0);
        assertThat(nested.attributes()).containsEntry("secondsPerSample", "3.000");
    }

    @Test
    void netperfAndIperf3ReuseTheBenchmarkParsers() throws Exception {
        Path rr = copy(io.github.nestedvirt.bench.NetworkThroughput.class, "netperf-omni-rr-k.txt");
        Path iperf = copy(io.github.nestedvirt.bench.NetworkThroughput.class, "iperf3-client.json");

        Measurement transactions = Importer.measurements(request(ImportFormat.NETPERF, rr), "rr",
                Files.readString(rr)).get(0);
        Measurement throughput = Importer.measurements(request(ImportFormat.IPERF3, iperf), "iperf",
                Files.readString(iperf)).get(0);

        assertThat(transactions.key()).isEqualTo("network-throughput/transactions@L1,shadowVmcs=on,test=rr,tool=netperf");
        assertThat(transactions.values()).containsExactly(24567.89);
        assertThat(transactions.attributes()).containsEntry("P99_LATENCY", "71.000");
        assertThat(throughput.metric()).isEqualTo("throughput");
        assertThat(throughput.values()[0]).isEqualTo(9380.64213325, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aFailedTimedCommandIsRefusedAtItsLine() throws Exception {
        Path file = copy(ImporterTest.class, "gnu-time-v-failed.txt");

        assertThatThrownBy(() -> Importer.measurements(request(ImportFormat.TIME, file), "make.log",
                Files.readString(file))).isInstanceOf(UnreadableOutputException.class)
                .hasMessage("make.log:5: the timed command failed (exit status 2): its time measures nothing");
    }

    @Test
    void garbageForIperf3NamesTheFile() {
        assertThatThrownBy(() -> Importer.measurements(request(ImportFormat.IPERF3, dir.resolve("x.json")), "x.json",
                "Connecting to host 10.0.0.1\n")).hasMessage("x.json: no JSON object in 'Connecting to host 10.0.0.1'; "
                + "expected iperf3 --json client output");
    }

    @Test
    void netperfUdpStreamIsImportedAsThroughputAndACutFileIsRefused() throws Exception {
        Path udp = copy(io.github.nestedvirt.bench.NetworkThroughput.class, "netperf-udp-stream.txt");
        Measurement throughput = Importer.measurements(request(ImportFormat.NETPERF, udp), "udp.txt",
                Files.readString(udp)).get(0);
        assertThat(throughput.metric()).isEqualTo("throughput");
        assertThat(throughput.unit()).isEqualTo("Mbit/s");
        assertThat(throughput.variant()).containsEntry("test", "stream");
        assertThat(throughput.attributes()).containsEntry("netperfTest", "UDP_STREAM");
        assertThat(throughput.values()).containsExactly(20627.79);

        Path cut = copy(io.github.nestedvirt.bench.NetworkThroughput.class, "netperf-tcp-stream-cut.txt");
        assertThatThrownBy(() -> Importer.measurements(request(ImportFormat.NETPERF, cut), "cut.txt",
                Files.readString(cut))).isInstanceOf(UnreadableOutputException.class)
                .hasMessageStartingWith("cut.txt:7: the result line ends without its line end");
    }

    @Test
    void metricIsRefusedWhereAFormatHasSeveral() {
        ImportRequest request = new ImportRequest(ImportFormat.KVM_STAT, dir.resolve("k"), null, "exits", Level.L0,
                "l0", Map.of(), null, null, null);

        assertThatThrownBy(() -> Importer.measurements(request, "k", "kvm_exit 10 2\n"))
                .hasMessageStartingWith("--metric: kvm-stat imports several metrics");
    }

    @Test
    void eachTimedCommandOfALogIsItsOwnSeriesWithTheCommandTheLogShows() throws Exception {
        Path file = copy(ImporterTest.class, "time-v-inside-bash-time.txt");

        List<Measurement> series = Importer.measurements(request(ImportFormat.TIME, file), "build.log",
                Files.readString(file));

        assertThat(series).hasSize(2);
        assertThat(series.get(0).variant()).containsEntry("timed", "make -j3");
        assertThat(series.get(0).values()).containsExactly(3723.45);
        assertThat(series.get(0).attributes()).containsEntry("output", "gnu-verbose").containsEntry("command", "make -j3");
        // the shell's time of the outer command, which the prompt line names
        assertThat(series.get(1).variant()).containsEntry("timed", "./build-kernel.sh");
        assertThat(series.get(1).values()).containsExactly(3730.5);
        assertThat(series.get(1).attributes()).containsEntry("output", "bash").containsEntry("command",
                "./build-kernel.sh");
        assertThat(series).extracting(Measurement::key).doesNotHaveDuplicates();
    }

    @Test
    void bytesThatAreNotUtf8AreKeptAsEscapesAndTheImportSaysSo() throws Exception {
        byte[] latin1 = "PASS msr (15 tests)\nFAIL vmx_caf\u00e9 (3 tests, 1 unexpected failures)\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("latin1.log"), latin1);

        Importer.Imported imported = Importer.importFile(request(ImportFormat.KVM_UNIT_TESTS, file),
                new ResultStore(dir.resolve("results")));

        assertThat(imported.warnings()).containsExactly(file + ":2: 1 byte(s) that are not UTF-8 are kept as \\xNN"
                + " (in test names and reasons too); the rest of the file was read as UTF-8");
        assertThat(Files.readString(imported.files().get(0))).contains("vmx_caf\\xE9").doesNotContain("\uFFFD");
    }

    @Test
    void aRunWhoseJUnitXmlCannotBeWrittenIsNotStoredAtAllSimulatedWriteFailure() throws Exception {
        ResultStore store = new ResultStore(dir.resolve("results"));
        Run run = new Run(Run.SCHEMA_VERSION, io.github.nestedvirt.result.RunId.next(Instant.now()), Instant.now(),
                Instant.now(), "import", List.of(), List.of(), List.of());

        assertThatThrownBy(() -> store.save(run, Map.of("junit.xml", out -> {
            out.write("<testsuite>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            throw new java.io.IOException("No space left on device"); // a full disk, which a test cannot make here
        }))).hasMessage("No space left on device");

        assertThat(dir.resolve("results").resolve(run.id())).as("no half-stored run").doesNotExist();
        assertThat(store.loadAll().runs()).isEmpty();
    }
}
