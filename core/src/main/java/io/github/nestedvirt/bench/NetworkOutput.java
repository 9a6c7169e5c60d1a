package io.github.nestedvirt.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nestedvirt.host.Tails;
import io.github.nestedvirt.output.UnreadableOutputException;
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

    /**
     * A netperf figure and its unit, e.g. {@code 9413.04 10^6bits/s} or {@code 30000.5 Trans/s}.
     *
     * @param test the test as the output tells it: {@code TCP_STREAM}, {@code UDP_STREAM}, {@code TCP_RR},
     *     {@code RR} (a request/response test whose protocol the output does not say), {@code OMNI}
     */
    public record NetperfResult(double value, String unit, Map<String, Double> latencies, String test) {

        public boolean requestResponse() {
            return unit.toLowerCase(java.util.Locale.ROOT).startsWith("trans");
        }
    }

    public static Iperf3Result parseIperf3(String json) {
        return parseIperf3("iperf3 output", json);
    }

    /**
     * The same, from {@code source}. What a terminal adds before the JSON (escape sequences such as
     * {@code ESC[F}, a prompt) is skipped: the JSON starts at the first {@code {}.
     */
    public static Iperf3Result parseIperf3(String source, String json) {
        int start = json.indexOf('{');
        if (start < 0) {
            throw new UnreadableOutputException(source, 0, "no JSON object in '" + Tails.of(json, 5)
                    + "'; expected iperf3 --json client output");
        }
        int linesBefore = (int) json.substring(0, start).chars().filter(c -> c == '\n').count();
        JsonNode root;
        try {
            root = JSON.readTree(json.substring(start));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr() + linesBefore;
            throw new UnreadableOutputException(source, line, "not JSON: " + e.getOriginalMessage()
                    + "; expected iperf3 --json client output");
        }
        if (root.hasNonNull("error")) {
            throw new UnreadableOutputException(source, 0, "iperf3 reported: " + root.get("error").asText());
        }
        JsonNode end = root.path("end");
        JsonNode sent = end.path("sum_sent");
        JsonNode received = end.path("sum_received");
        if (!sent.has("bits_per_second") || !received.has("bits_per_second")) {
            throw new UnreadableOutputException(source, 0, "iperf3 output has no end.sum_sent/sum_received"
                    + ".bits_per_second; expected the output of a whole iperf3 --json client run");
        }
        JsonNode cpu = end.path("cpu_utilization_percent");
        return new Iperf3Result(sent.get("bits_per_second").asDouble() / 1e6,
                received.get("bits_per_second").asDouble() / 1e6,
                sent.has("retransmits") ? sent.get("retransmits").asLong() : -1,
                cpu.path("host_total").asDouble(Double.NaN), cpu.path("remote_total").asDouble(Double.NaN));
    }

    /** Classic netperf output ({@link NetperfClassicOutput}), with or without its banner and heads. */
    public static NetperfResult parseNetperfClassic(String output) {
        return parseNetperfClassic("netperf output", output);
    }

    public static NetperfResult parseNetperfClassic(String source, String output) {
        return NetperfClassicOutput.parse(source, output);
    }

    /**
     * netperf omni key=value output ({@code -- -k THROUGHPUT,THROUGHPUT_UNITS,MEAN_LATENCY,P50_LATENCY,P99_LATENCY}).
     * Latencies are in microseconds.
     */
    public static NetperfResult parseNetperfKeyValue(String output) {
        return parseNetperfKeyValue("netperf output", output);
    }

    public static NetperfResult parseNetperfKeyValue(String source, String output) {
        Map<String, String> values = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String[] lines = output.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq > 0) {
                String key = lines[i].substring(0, eq).strip();
                values.put(key, lines[i].substring(eq + 1).strip());
                lineOf.put(key, i + 1);
            }
        }
        if (!values.containsKey("THROUGHPUT")) {
            throw new UnreadableOutputException(source, 0, "no THROUGHPUT= line in '" + Tails.of(output, 5)
                    + "'; expected netperf omni -k output with THROUGHPUT and THROUGHPUT_UNITS");
        }
        for (Map.Entry<String, Integer> key : lineOf.entrySet()) {
            if (key.getValue() == lines.length && !output.endsWith("\n")) {
                throw new UnreadableOutputException(source, key.getValue(), key.getKey() + "= ends without its line "
                        + "end at the end of the file: the output may be cut in the middle of its value");
            }
        }
        Map<String, Double> latencies = new HashMap<>();
        for (String key : List.of("MEAN_LATENCY", "P50_LATENCY", "P99_LATENCY")) {
            if (values.containsKey(key)) {
                latencies.put(key, number(source, lineOf.get(key), key, values.get(key)));
            }
        }
        if (!values.containsKey("THROUGHPUT_UNITS")) {
            throw new UnreadableOutputException(source, lineOf.get("THROUGHPUT"), "THROUGHPUT= without "
                    + "THROUGHPUT_UNITS=: whether it is bits per second or transactions cannot be told; add "
                    + "THROUGHPUT_UNITS to -k");
        }
        return new NetperfResult(number(source, lineOf.get("THROUGHPUT"), "THROUGHPUT", values.get("THROUGHPUT")),
                values.get("THROUGHPUT_UNITS"), latencies, "OMNI");
    }

    private static double number(String source, int line, String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UnreadableOutputException(source, line, key + " is not a number: '" + value + "'");
        }
    }
}
