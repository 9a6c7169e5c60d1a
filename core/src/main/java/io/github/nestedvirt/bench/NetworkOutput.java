package io.github.nestedvirt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nestedvirt.host.Tails;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pure parsers for the output of iperf3 and netperf. */
public final class NetworkOutput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkOutput() {
    }

    /**
     * The end summary of one {@code iperf3 -c ... --json} test.
     *
     * @param sentMbps {@code end.sum_sent.bits_per_second} in Mbit/s
     * @param receivedMbps {@code end.sum_received.bits_per_second} in Mbit/s: what really arrived
     * @param retransmits {@code end.sum_sent.retransmits}, or -1 when iperf3 does not report it (UDP, non-Linux)
     * @param hostCpuPercent {@code end.cpu_utilization_percent.host_total}: the client's CPU
     * @param remoteCpuPercent {@code end.cpu_utilization_percent.remote_total}: the server's CPU
     */
    public record Iperf3Result(double sentMbps, double receivedMbps, long retransmits, double hostCpuPercent,
            double remoteCpuPercent) {
    }

    /** A netperf figure and its unit, e.g. {@code 9413.04 10^6bits/s} or {@code 30000.5 Trans/s}. */
    public record NetperfResult(double value, String unit, Map<String, Double> latencies) {
    }

    public static Iperf3Result parseIperf3(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("iperf3 output is not JSON: " + e.getMessage(), e);
        }
        if (root.hasNonNull("error")) {
            throw new IllegalArgumentException("iperf3 reported: " + root.get("error").asText());
        }
        JsonNode end = root.path("end");
        JsonNode sent = end.path("sum_sent");
        JsonNode received = end.path("sum_received");
        if (!sent.has("bits_per_second") || !received.has("bits_per_second")) {
            throw new IllegalArgumentException("iperf3 output has no end.sum_sent/sum_received.bits_per_second");
        }
        JsonNode cpu = end.path("cpu_utilization_percent");
        return new Iperf3Result(sent.get("bits_per_second").asDouble() / 1e6,
                received.get("bits_per_second").asDouble() / 1e6,
                sent.has("retransmits") ? sent.get("retransmits").asLong() : -1,
                cpu.path("host_total").asDouble(Double.NaN), cpu.path("remote_total").asDouble(Double.NaN));
    }

    /**
     * The result line of classic netperf output, with the banner and headings or without ({@code -P 0}):
     * the first line of only numbers with at least 5 fields. TCP_STREAM has 5 (throughput last, in
     * 10^6 bits/s); TCP_RR has 6 (transactions per second last).
     */
    public static NetperfResult parseNetperfClassic(String output) {
        for (String line : output.lines().toList()) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 5 && List.of(fields).stream().allMatch(f -> f.matches("-?\\d+(\\.\\d+)?"))) {
                return fields.length == 5
                        ? new NetperfResult(Double.parseDouble(fields[4]), "10^6bits/s", Map.of())
                        : new NetperfResult(Double.parseDouble(fields[5]), "Trans/s", Map.of());
            }
        }
        throw new IllegalArgumentException("no netperf result line in: '" + Tails.of(output, 5) + "'");
    }

    /**
     * netperf omni key=value output ({@code -- -k THROUGHPUT,THROUGHPUT_UNITS,MEAN_LATENCY,P50_LATENCY,P99_LATENCY}).
     * Latencies are in microseconds.
     */
    public static NetperfResult parseNetperfKeyValue(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        if (!values.containsKey("THROUGHPUT")) {
            throw new IllegalArgumentException("no THROUGHPUT= line in netperf output: '" + Tails.of(output, 5) + "'");
        }
        Map<String, Double> latencies = new HashMap<>();
        for (String key : List.of("MEAN_LATENCY", "P50_LATENCY", "P99_LATENCY")) {
            if (values.containsKey(key)) {
                latencies.put(key, number(key, values.get(key)));
            }
        }
        return new NetperfResult(number("THROUGHPUT", values.get("THROUGHPUT")),
                values.getOrDefault("THROUGHPUT_UNITS", "?"), latencies);
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: '" + value + "'", e);
        }
    }
}
