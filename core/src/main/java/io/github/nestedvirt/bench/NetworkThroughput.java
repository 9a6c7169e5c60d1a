package io.github.nestedvirt.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.host.Tails;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.RunCountPolicy;
import io.github.nestedvirt.result.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TCP throughput (or request/response rate) between two hosts, e.g. L2 to L0 (seed plan item 3):
 * a server started on one host for the duration of the measurement, a client on the other.
 *
 * <p>The tools measure on the hosts themselves. iperf3: {@code iperf3 -s -D} with a pid file,
 * client {@code --json}, throughput = {@code end.sum_received.bits_per_second}. netperf: {@code
 * netserver -D} in the background, client with omni key=value output. The server is always
 * stopped afterwards, also when a run fails.
 */
public final class NetworkThroughput {

    public static final String BENCHMARK = "network-throughput";

    /** Which program measures. */
    public enum Tool { IPERF3, NETPERF }

    /** Bulk transfer (Mbit/s) or one-byte request/response (transactions/s, netperf only). */
    public enum Test { STREAM, RR }

    private final Parameters parameters;

    /**
     * @param tool iperf3 or netperf
     * @param test STREAM or RR (RR needs netperf)
     * @param serverAddress the server host's address as the client reaches it
     * @param port the server's port; 0 for the tool's default (5201 iperf3, 12865 netperf)
     * @param seconds the length of one test
     * @param warmups runs made first and left out of statistics
     * @param runs measured runs at least
     * @param maxRuns measured runs at most
     */
    public record Parameters(Tool tool, Test test, String serverAddress, int port, int seconds, int warmups, int runs,
            int maxRuns) {

        public Parameters {
            if (tool == null) {
                throw new IllegalArgumentException("tool: must be iperf3 or netperf");
            }
            if (test == null) {
                throw new IllegalArgumentException("test: must be stream or rr");
            }
            if (test == Test.RR && tool != Tool.NETPERF) {
                throw new IllegalArgumentException("test: rr needs tool netperf");
            }
            if (serverAddress == null || serverAddress.isBlank() || serverAddress.startsWith("-")) {
                throw new IllegalArgumentException("serverAddress: give the server's address as the client sees it");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: must be 1-65535, or 0 for the default, got " + port);
            }
            if (seconds < 1) {
                throw new IllegalArgumentException("seconds: must be at least 1, got " + seconds);
            }
            if (warmups < 0) {
                throw new IllegalArgumentException("warmups: must be 0 or more, got " + warmups);
            }
            new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
        }

        /** iperf3 TCP stream, 10 s per run, 1 warm-up, 5 runs. */
        public static Parameters defaults(String serverAddress) {
            return fromPlan(serverAddress, null, null, null, null, null, null, null);
        }

        /** The keys of a plan entry (and of a Pipeline step); all but {@code address} are optional. */
        @JsonCreator
        public static Parameters fromPlan(
                @JsonPropertyDescription("The address of L0 (where the server runs) as the measured host"
                        + " reaches it, e.g. 192.168.122.1 from a guest.")
                @JsonProperty(value = "address", required = true) String address,
                @JsonPropertyDescription("iperf3 or netperf. Default: iperf3.")
                @JsonProperty("tool") String tool,
                @JsonPropertyDescription("stream (throughput) or rr (request/response, netperf only). Default: stream.")
                @JsonProperty("test") String test,
                @JsonPropertyDescription("The server's port; 0 for the tool's default. Default: 0.")
                @JsonProperty("port") Integer port,
                @JsonPropertyDescription("Length of one run. Default: 10.")
                @JsonProperty("seconds") Integer seconds,
                @JsonPropertyDescription("Runs made first and not counted. Default: 1.")
                @JsonProperty("warmups") Integer warmups,
                @JsonPropertyDescription("Measured runs always made. Default: 5.")
                @JsonProperty("runs") Integer runs,
                @JsonPropertyDescription("Cap on measured runs while the results vary by 2.5% or more."
                        + " Default: 2 x runs.")
                @JsonProperty("maxRuns") Integer maxRuns) {
            int min = runs == null ? 5 : runs;
            return new Parameters(named(Tool.class, "tool", tool == null ? "iperf3" : tool),
                    named(Test.class, "test", test == null ? "stream" : test), address, port == null ? 0 : port,
                    seconds == null ? 10 : seconds, warmups == null ? 1 : warmups, min,
                    maxRuns == null ? 2 * min : maxRuns);
        }

        private static <E extends Enum<E>> E named(Class<E> type, String key, String value) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(key + ": must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                    + ", got '" + value + "'");
        }

        public int effectivePort() {
            return port != 0 ? port : tool == Tool.IPERF3 ? 5201 : 12865;
        }

        public RunCountPolicy policy() {
            return new RunCountPolicy(runs, maxRuns, RunCountPolicy.DEFAULT_RSD_THRESHOLD);
        }
    }

    public NetworkThroughput(Parameters parameters) {
        this.parameters = parameters;
    }

    /**
     * Measures from {@code client} to {@code server}; one measurement, {@code throughput} in Mbit/s or
     * {@code transactions} per s, both higher-is-better, named after the client host.
     */
    public Measurement measure(Host server, Host client, Level level, Progress progress)
            throws HostException, InterruptedException {
        return measure(server, null, client, level, progress);
    }

    /**
     * The same, with the server's level in the variant as {@code peer} (e.g. {@code L1} for a client
     * in L2 and its server in L1), so that a run to L0 is never compared with one to another guest.
     *
     * @param serverLevel the server's level; null when not known (no {@code peer} in the variant)
     */
    public Measurement measure(Host server, Level serverLevel, Host client, Level level, Progress progress)
            throws HostException, InterruptedException {
        String dir = serverDirectory(server);
        List<Double> retransmits = new ArrayList<>();
        List<Double> serverCpu = new ArrayList<>();
        Map<String, String> attributes = new LinkedHashMap<>();
        List<Sample> samples;
        try {
            // started inside the try: an interrupt while it starts must still stop it
            startServer(server, dir);
            progress.info("network: " + toolName() + " server on " + server.name() + " port "
                    + parameters.effectivePort());
            samples = Benchmarks.repeat(client, BENCHMARK, parameters.warmups(), parameters.policy(), progress,
                    index -> parameters.tool() == Tool.IPERF3
                            ? iperf3Once(client, index, retransmits, serverCpu)
                            : netperfOnce(client, attributes));
        } finally {
            stopServer(server, dir);
        }
        attributes.put("server", server.name());
        attributes.put("serverAddress", parameters.serverAddress());
        attributes.put("seconds", Integer.toString(parameters.seconds()));
        if (!retransmits.isEmpty()) {
            attributes.put("retransmits", Long.toString(retransmits.stream().mapToLong(Double::longValue).sum()));
            attributes.put("serverCpuPercent", String.format(java.util.Locale.ROOT, "%.1f",
                    serverCpu.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
        }
        Map<String, String> variant = new LinkedHashMap<>();
        variant.put("tool", toolName());
        variant.put("test", parameters.test().name().toLowerCase());
        if (serverLevel != null) {
            variant.put("peer", serverLevel.name());
        }
        boolean rr = parameters.test() == Test.RR;
        return new Measurement(BENCHMARK, rr ? "transactions" : "throughput", level, client.name(), variant,
                rr ? "1/s" : "Mbit/s", Better.HIGHER, samples, attributes);
    }

    private String toolName() {
        return parameters.tool().name().toLowerCase();
    }

    /** A fresh directory on the server host for the server's pid file and log. */
    private static String serverDirectory(Host server) throws HostException, InterruptedException {
        CommandResult result = server.run("mktemp -d", Duration.ofMinutes(1));
        if (!result.succeeded() || result.stdout().isBlank()) {
            throw new BenchmarkFailedException(server.name(), "cannot create a temporary directory for the server:\n"
                    + Tails.of(result.stderr(), 10));
        }
        return result.stdout().strip();
    }

    /** Starts the server in {@code dir} on the server host, with its pid in {@code dir/pid}. */
    private void startServer(Host server, String dir) throws HostException, InterruptedException {
        String port = Integer.toString(parameters.effectivePort());
        String quoted = Shell.quote(dir);
        String start = parameters.tool() == Tool.IPERF3
                ? Shell.command("iperf3", "-s", "-D", "-p", port, "-I", dir + "/pid", "--logfile", dir + "/log")
                : "{ " + Shell.command("netserver", "-D", "-p", port) + " < /dev/null > " + quoted + "/log 2>&1 & echo $! > "
                        + quoted + "/pid; }";
        String script = "cd " + quoted + " && " + start + " && sleep 0.5 && kill -0 \"$(cat " + quoted + "/pid)\"";
        CommandResult result = server.run(script, Duration.ofMinutes(1));
        if (!result.succeeded()) {
            throw new BenchmarkFailedException(server.name(), toolName() + " server did not start on port " + port
                    + " (is " + toolName() + " installed, is the port free?):\n"
                    + Tails.of(result.stderr() + "\n" + result.stdout(), 10));
        }
    }

    /**
     * Ends the server and waits until it is gone (up to 5 s, then KILL), so that nothing of the
     * benchmark outlives it. A zombie counts as gone: a daemonized server's reaper is not ours.
     */
    private void stopServer(Host server, String dir) throws HostException, InterruptedException {
        String quoted = Shell.quote(dir);
        String running = "[ -e /proc/$pid ] && ! grep -q '^State:.*Z' /proc/$pid/status 2>/dev/null";
        server.run("pid=$(cat " + quoted + "/pid 2>/dev/null) && [ -n \"$pid\" ] && { kill \"$pid\" 2>/dev/null; i=0; "
                + "while [ $i -lt 50 ] && " + running + "; do sleep 0.1; i=$((i+1)); done; "
                + "if " + running + "; then kill -9 \"$pid\"; fi; }; rm -rf " + quoted, Duration.ofMinutes(1));
    }

    private double iperf3Once(Host client, int index, List<Double> retransmits, List<Double> serverCpu)
            throws HostException, InterruptedException {
        String command = Shell.command("iperf3", "-c", parameters.serverAddress(), "-p",
                Integer.toString(parameters.effectivePort()), "-t", Integer.toString(parameters.seconds()), "--json");
        CommandResult result = client.run(command, Duration.ofSeconds(parameters.seconds() + 60L));
        NetworkOutput.Iperf3Result parsed;
        try {
            parsed = NetworkOutput.parseIperf3(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new BenchmarkFailedException(client.name(), "iperf3 run " + index + " to "
                    + parameters.serverAddress() + " failed: " + e.getMessage() + "\n" + Tails.of(result.stderr(), 10));
        }
        retransmits.add((double) parsed.retransmits());
        serverCpu.add(parsed.remoteCpuPercent());
        return parsed.receivedMbps();
    }

    private double netperfOnce(Host client, Map<String, String> attributes) throws HostException, InterruptedException {
        List<String> words = new ArrayList<>(List.of("netperf", "-H", parameters.serverAddress(), "-p",
                Integer.toString(parameters.effectivePort()), "-l", Integer.toString(parameters.seconds()), "-t",
                parameters.test() == Test.RR ? "TCP_RR" : "TCP_STREAM", "-P", "0", "--", "-k",
                "THROUGHPUT,THROUGHPUT_UNITS,MEAN_LATENCY,P50_LATENCY,P99_LATENCY"));
        CommandResult result = client.run(Shell.command(words), Duration.ofSeconds(parameters.seconds() + 60L));
        NetworkOutput.NetperfResult parsed;
        try {
            parsed = NetworkOutput.parseNetperfKeyValue(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new BenchmarkFailedException(client.name(), "netperf to " + parameters.serverAddress() + " failed: "
                    + e.getMessage() + "\n" + Tails.of(result.stderr(), 10));
        }
        parsed.latencies().forEach((key, value) -> attributes.put(key, Double.toString(value)));
        attributes.put("unit", parsed.unit());
        return parsed.value();
    }
}
