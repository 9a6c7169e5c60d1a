package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;

/**
 * Seed item 3: network throughput or request/response rate between two hosts of the plan.
 *
 * @param server the plan host that runs the server side
 * @param client the plan host that runs the client side (the measured level)
 * @param address the server's address as the client sees it
 * @param tool {@code iperf3} or {@code netperf}
 * @param test {@code TCP_STREAM} or {@code TCP_RR} (netperf; iperf3 measures a stream)
 * @param duration of each run
 * @param port the server's port, the tool's default when null
 * @param repeat no warm-up and 3 measured runs by default
 */
public record NetworkSpec(String server, String client, String address, String tool, String test,
        Duration duration, Integer port, Repeat repeat) implements BenchmarkSpec {

    public NetworkSpec {
        if (!tool.equals("iperf3") && !tool.equals("netperf")) {
            throw new IllegalArgumentException("tool: must be iperf3 or netperf, got '" + tool + "'");
        }
        if (!test.equals("TCP_STREAM") && !test.equals("TCP_RR")) {
            throw new IllegalArgumentException("test: must be TCP_STREAM or TCP_RR, got '" + test + "'");
        }
        if (tool.equals("iperf3") && test.equals("TCP_RR")) {
            throw new IllegalArgumentException("test: TCP_RR needs tool: netperf (iperf3 measures streams only)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("seconds: must be at least 1");
        }
    }

    @JsonCreator
    static NetworkSpec fromPlan(@JsonProperty(value = "server", required = true) String server,
            @JsonProperty(value = "client", required = true) String client,
            @JsonProperty(value = "address", required = true) String address,
            @JsonProperty("tool") String tool, @JsonProperty("test") String test,
            @JsonProperty("seconds") Integer seconds, @JsonProperty("port") Integer port,
            @JsonProperty("warmups") Integer warmups, @JsonProperty("runs") Integer runs,
            @JsonProperty("maxRuns") Integer maxRuns, @JsonProperty("rsdThreshold") Double rsdThreshold) {
        return new NetworkSpec(server, client, address, tool == null ? "iperf3" : tool,
                test == null ? "TCP_STREAM" : test, Duration.ofSeconds(seconds == null ? 10 : seconds), port,
                Repeat.of(warmups, runs, maxRuns, rsdThreshold, 0, 3));
    }

    @Override
    public Map<String, String> hostReferences() {
        return Map.of("server", server, "client", client);
    }
}
