package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.output.UnreadableOutputException;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkThroughputTest {

    @Test
    void iperf3EndSummaryIsRead() {
        NetworkOutput.Iperf3Result result = NetworkOutput.parseIperf3(Fixtures.read("iperf3-client.json"));

        assertThat(result.sentMbps()).isCloseTo(9394.62546575, within(1e-6));
        assertThat(result.receivedMbps()).isCloseTo(9380.64213325, within(1e-6));
        assertThat(result.retransmits()).isEqualTo(17);
        assertThat(result.hostCpuPercent()).isCloseTo(63.512, within(1e-9));
        assertThat(result.remoteCpuPercent()).isCloseTo(41.87, within(1e-9));
    }

    @Test
    void iperf3ErrorIsReported() {
        assertThatThrownBy(() -> NetworkOutput.parseIperf3(Fixtures.read("iperf3-client-refused.json")))
                .hasMessage("iperf3 output: iperf3 reported: unable to connect to server: Connection refused");
        assertThatThrownBy(() -> NetworkOutput.parseIperf3("iperf3: error - unable to connect"))
                .hasMessageStartingWith("iperf3 output: no JSON object in 'iperf3: error - unable to connect'");
    }

    @Test
    void netperfClassicWithAndWithoutBanner() {
        assertThat(NetworkOutput.parseNetperfClassic(Fixtures.read("netperf-tcp-stream.txt")))
                .isEqualTo(new NetworkOutput.NetperfResult(8765.43, "10^6bits/s", java.util.Map.of(), "TCP_STREAM"));
        assertThat(NetworkOutput.parseNetperfClassic(Fixtures.read("netperf-tcp-stream-p0.txt")).value())
                .isEqualTo(8765.43);
        assertThat(NetworkOutput.parseNetperfClassic(Fixtures.read("netperf-tcp-rr.txt")))
                .isEqualTo(new NetworkOutput.NetperfResult(24567.89, "Trans/s", java.util.Map.of(), "TCP_RR"));
        assertThat(NetworkOutput.parseNetperfClassic(Fixtures.read("netperf-tcp-rr-p0.txt")).value())
                .isEqualTo(24567.89);
        assertThatThrownBy(() -> NetworkOutput.parseNetperfClassic("establish control: are you sure there is a "
                + "netserver listening on 10.0.0.1 at port 12865?\n")).hasMessageContaining("no netperf result line");
    }

    @Test
    void netperfUdpStreamIsThroughputWhatArrivedNeverATransactionRate() {
        // the sender's line has 6 numbers, as a TCP_RR line has: the banner and heads say what it is
        NetworkOutput.NetperfResult udp = NetworkOutput.parseNetperfClassic(Fixtures.read("netperf-udp-stream.txt"));
        assertThat(udp).isEqualTo(new NetworkOutput.NetperfResult(20627.79, "10^6bits/s", java.util.Map.of(),
                "UDP_STREAM"));
        assertThat(udp.requestResponse()).isFalse();
        // without banner (-P 0) the receiver's line of 4 numbers tells it apart from a request/response test
        assertThat(NetworkOutput.parseNetperfClassic(Fixtures.read("netperf-udp-stream-p0.txt")))
                .isEqualTo(new NetworkOutput.NetperfResult(18523.72, "10^6bits/s", java.util.Map.of(), "UDP_STREAM"));
        NetworkOutput.NetperfResult rr = NetworkOutput.parseNetperfClassic(Fixtures.read("netperf-udp-rr-p0.txt"));
        assertThat(rr).isEqualTo(new NetworkOutput.NetperfResult(35666.38, "Trans/s", java.util.Map.of(), "RR"));
        assertThat(rr.requestResponse()).isTrue();
    }

    @Test
    void netperfOutputThatCannotTellItsTestOrIsCutShortIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> NetworkOutput.parseNetperfClassic("udp.txt",
                Fixtures.read("netperf-udp-stream-p0-sender-only.txt")))
                .isInstanceOf(UnreadableOutputException.class)
                .hasMessageStartingWith("udp.txt:1: 6 numbers without a banner, column heads or a second line")
                .hasMessageContaining("a UDP_STREAM and a request/response test both print 6");
        // 8765.43 cut to 87, at the end of the file without its line end
        assertThatThrownBy(() -> NetworkOutput.parseNetperfClassic("cut.txt", Fixtures.read("netperf-tcp-stream-cut.txt")))
                .isInstanceOf(UnreadableOutputException.class)
                .hasMessageStartingWith("cut.txt:7: the result line ends without its line end at the end of the file");
        assertThatThrownBy(() -> NetworkOutput.parseNetperfClassic("short.txt", Fixtures.read("netperf-tcp-stream.txt")
                .replace("131072  16384  16384    10.00    8765.43", "131072  16384  10.00    8765.43")))
                .hasMessageStartingWith("short.txt:7: 4 numbers, but the result line of a TCP STREAM test has 5");
        assertThatThrownBy(() -> NetworkOutput.parseNetperfKeyValue("k.txt", "THROUGHPUT=87"))
                .hasMessageStartingWith("k.txt:1: THROUGHPUT= ends without its line end at the end of the file");
        assertThatThrownBy(() -> NetworkOutput.parseNetperfKeyValue("k.txt", "THROUGHPUT=8765.43\nMEAN_LATENCY=x\n"
                + "THROUGHPUT_UNITS=10^6bits/s\n")).hasMessage("k.txt:2: MEAN_LATENCY is not a number: 'x'");
    }

    @Test
    void iperf3JsonAfterATerminalEscapeIsReadAndBadJsonNamesItsLine() {
        assertThat(NetworkOutput.parseIperf3("pasted.json", Fixtures.read("iperf3-client-after-escape.json")))
                .isEqualTo(NetworkOutput.parseIperf3(Fixtures.read("iperf3-client.json")));
        assertThatThrownBy(() -> NetworkOutput.parseIperf3("bad.json", "\u001b[F{\n  \"end\": {\n    \"sum_sent\": ,\n"))
                .isInstanceOf(UnreadableOutputException.class)
                .hasMessageStartingWith("bad.json:3: not JSON: Unexpected character (',' (code 44))")
                .hasMessageNotContaining("Source:")
                .hasMessageEndingWith("; expected iperf3 --json client output");
    }

    @Test
    void netperfOmniKeyValues() {
        NetworkOutput.NetperfResult stream = NetworkOutput.parseNetperfKeyValue(
                Fixtures.read("netperf-omni-stream-k.txt"));
        assertThat(stream.value()).isEqualTo(8765.43);
        assertThat(stream.unit()).isEqualTo("10^6bits/s");
        assertThat(stream.latencies()).containsEntry("P99_LATENCY", 48.0).containsEntry("MEAN_LATENCY", 14.95);

        NetworkOutput.NetperfResult rr = NetworkOutput.parseNetperfKeyValue(Fixtures.read("netperf-omni-rr-k.txt"));
        assertThat(rr.value()).isEqualTo(24567.89);
        assertThat(rr.unit()).isEqualTo("Trans/s");
        assertThat(rr.latencies()).containsEntry("P50_LATENCY", 38.0);
    }

    @Test
    void parametersNameTheBadField() {
        assertThatThrownBy(() -> new NetworkThroughput.Parameters(NetworkThroughput.Tool.IPERF3,
                NetworkThroughput.Test.RR, "127.0.0.1", 0, 2, 0, 1, 1)).hasMessage("test: rr needs tool netperf");
        assertThatThrownBy(() -> new NetworkThroughput.Parameters(NetworkThroughput.Tool.IPERF3,
                NetworkThroughput.Test.STREAM, "", 0, 2, 0, 1, 1)).hasMessageStartingWith("serverAddress:");
        assertThatThrownBy(() -> new NetworkThroughput.Parameters(NetworkThroughput.Tool.IPERF3,
                NetworkThroughput.Test.STREAM, "127.0.0.1", 70000, 2, 0, 1, 1)).hasMessageStartingWith("port:");
        assertThatThrownBy(() -> new NetworkThroughput.Parameters(NetworkThroughput.Tool.IPERF3,
                NetworkThroughput.Test.STREAM, "127.0.0.1", 0, 0, 0, 1, 1)).hasMessageStartingWith("seconds:");
    }

    @Test
    void iperf3OverLoopbackAndTheServerIsStoppedAfterwards() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "needs iperf3 (Debian iperf3)");
        NetworkThroughput network = new NetworkThroughput(new NetworkThroughput.Parameters(
                NetworkThroughput.Tool.IPERF3, NetworkThroughput.Test.STREAM, "127.0.0.1", 25201, 2, 0, 3, 3));

        Measurement measurement;
        try (TestLocalHost server = new TestLocalHost(); TestLocalHost client = new TestLocalHost()) {
            measurement = network.measure(server, client, Level.L0, Progress.NONE);
            assertThat(serverRunning(server, 25201)).as("iperf3 server left running").isFalse();
        }

        assertThat(measurement.metric()).isEqualTo("throughput");
        assertThat(measurement.unit()).isEqualTo("Mbit/s");
        assertThat(measurement.better()).isEqualTo(Better.HIGHER);
        assertThat(measurement.values()).hasSize(3);
        for (double mbps : measurement.values()) {
            assertThat(mbps).isGreaterThan(100);
        }
        assertThat(measurement.attributes()).containsKeys("retransmits", "serverCpuPercent");
        System.out.println("iperf3 loopback: " + Summary.of(measurement) + " Mbit/s");
    }

    @Test
    void netperfStreamOverLoopbackIsThroughputInMbitPerSecondAndTheServerIsStopped() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/netperf")), "needs netperf (Debian non-free netperf; "
                + "scripts/install-deps.sh enables non-free and installs it)");
        NetworkThroughput network = new NetworkThroughput(new NetworkThroughput.Parameters(
                NetworkThroughput.Tool.NETPERF, NetworkThroughput.Test.STREAM, "127.0.0.1", 22866, 2, 0, 3, 3));

        Measurement measurement;
        try (TestLocalHost server = new TestLocalHost(); TestLocalHost client = new TestLocalHost()) {
            measurement = network.measure(server, client, Level.L0, Progress.NONE);
            assertThat(netserverRunning(server, 22866)).as("netserver left running").isFalse();
        }

        assertThat(measurement.metric()).isEqualTo("throughput");
        assertThat(measurement.unit()).isEqualTo("Mbit/s");
        assertThat(measurement.variant()).containsEntry("tool", "netperf").containsEntry("test", "stream");
        assertThat(measurement.attributes()).containsEntry("unit", "10^6bits/s").containsKeys("MEAN_LATENCY",
                "P99_LATENCY");
        // loopback moves gigabits even on a small machine; below 10^6 Mbit/s, no unit slip
        assertThat(Arrays.stream(measurement.values()).boxed().toList()).hasSize(3)
                .allSatisfy(mbps -> assertThat(mbps).isGreaterThan(100).isLessThan(1_000_000));
        System.out.println("netperf TCP_STREAM loopback: " + Summary.of(measurement) + " Mbit/s");
    }

    @Test
    void netperfRequestResponseOverLoopbackIsTransactionsPerSecond() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/netperf")), "needs netperf (Debian non-free netperf; "
                + "scripts/install-deps.sh enables non-free and installs it)");
        NetworkThroughput network = new NetworkThroughput(new NetworkThroughput.Parameters(
                NetworkThroughput.Tool.NETPERF, NetworkThroughput.Test.RR, "127.0.0.1", 22867, 2, 0, 3, 3));

        Measurement measurement;
        try (TestLocalHost server = new TestLocalHost(); TestLocalHost client = new TestLocalHost()) {
            measurement = network.measure(server, client, Level.L0, Progress.NONE);
            assertThat(netserverRunning(server, 22867)).as("netserver left running").isFalse();
        }

        assertThat(measurement.metric()).isEqualTo("transactions");
        assertThat(measurement.unit()).isEqualTo("1/s");
        assertThat(measurement.better()).isEqualTo(Better.HIGHER);
        assertThat(measurement.variant()).containsEntry("tool", "netperf").containsEntry("test", "rr");
        assertThat(measurement.attributes()).containsEntry("unit", "Trans/s");
        // one-byte round trips over loopback: thousands per second, each within a second
        assertThat(Arrays.stream(measurement.values()).boxed().toList()).hasSize(3)
                .allSatisfy(rate -> assertThat(rate).isGreaterThan(1000));
        assertThat(Double.parseDouble(measurement.attributes().get("MEAN_LATENCY"))).as("microseconds")
                .isPositive().isLessThan(1_000_000);
        System.out.println("netperf TCP_RR loopback: " + Summary.of(measurement) + " transactions/s, mean latency "
                + measurement.attributes().get("MEAN_LATENCY") + " us");
    }

    @Test
    void aClientWithoutIperf3FailsClearlyAndTheServerIsStillStopped() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "needs iperf3 (Debian iperf3)");
        NetworkThroughput network = new NetworkThroughput(new NetworkThroughput.Parameters(
                NetworkThroughput.Tool.IPERF3, NetworkThroughput.Test.STREAM, "127.0.0.1", 25202, 1, 0, 1, 1));
        // a client whose PATH has no iperf3: a real failure of the client side only
        try (TestLocalHost server = new TestLocalHost();
                TestLocalHost client = new TestLocalHost(List.of("env", "PATH=/nonexistent"))) {
            assertThatThrownBy(() -> network.measure(server, client, Level.L0, Progress.NONE))
                    .isInstanceOf(BenchmarkFailedException.class)
                    .hasMessageContaining("iperf3 run 1 to 127.0.0.1 failed")
                    .hasMessageContaining("iperf3: not found");
            assertThat(serverRunning(server, 25202)).as("iperf3 server left running").isFalse();
        }
    }

    private static boolean netserverRunning(TestLocalHost host, int port) throws Exception {
        return host.run("pgrep -f '[n]etserver -D -p " + port + "'", Duration.ofSeconds(10)).succeeded();
    }

    private static boolean serverRunning(TestLocalHost host, int port) throws Exception {
        CommandResult result = host.run("pgrep -f '[i]perf3 -s -D -p " + port + " '", Duration.ofSeconds(10));
        return result.succeeded();
    }
}
