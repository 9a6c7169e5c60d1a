package io.github.nestedvirt.bench;

import io.github.nestedvirt.host.Tails;
import io.github.nestedvirt.output.UnreadableOutputException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * netperf's classic output: a banner ({@code MIGRATED UDP STREAM TEST from ...}), column heads, then the
 * result line(s); with {@code -P 0} only the result lines. What the figure is (bulk throughput or a
 * transaction rate) is decided by the banner and the heads, never by how many numbers a line has: a
 * UDP_STREAM line has as many as a TCP_RR line. Without banner and heads the shape of the lines decides
 * where it can (TCP_STREAM: one line of 5; UDP_STREAM: 6, then the receiver's line of 4; a request/response
 * test: 6, then its remote socket sizes, 2), and what stays ambiguous is refused.
 *
 * <p>Result lines as netperf prints them (netperf 2.7, {@code src/nettest_bsd.c}):
 * TCP_STREAM/MAERTS {@code recv-socket send-socket message elapsed throughput}; UDP_STREAM
 * {@code socket message elapsed okay errors throughput} (the sender), then
 * {@code socket elapsed okay throughput} (the receiver: what arrived); TCP_RR/UDP_RR
 * {@code send-socket recv-socket request response elapsed rate}.
 */
final class NetperfClassicOutput {

    private static final Pattern BANNER = Pattern.compile(
            "\\b(TCP|UDP|SCTP|DLCO|DLCL|STREAM_STREAM|DG)\\s+(STREAM|MAERTS|SENDFILE|REQUEST/RESPONSE|"
                    + "CONNECT/REQUEST/RESPONSE)\\s+TEST\\b");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** Throughput units of {@code -f}, in Mbit/s. */
    private static final Map<String, Double> TO_MBIT = Map.of("10^9bits/sec", 1000.0, "10^6bits/sec", 1.0,
            "10^3bits/sec", 0.001, "10^0bits/sec", 1e-6);

    private enum Kind { STREAM, RR }

    private NetperfClassicOutput() {
    }

    static NetworkOutput.NetperfResult parse(String source, String output) {
        String[] lines = output.split("\r?\n", -1);
        boolean endsWithLineEnd = output.endsWith("\n");
        String protocol = null;
        Kind bannerKind = null;
        Kind headKind = null;
        String unit = null;
        int bannerLine = 0;
        int first = -1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher banner = BANNER.matcher(line);
            if (bannerKind == null && banner.find()) {
                protocol = banner.group(1);
                bannerKind = banner.group(2).contains("REQUEST") ? Kind.RR : Kind.STREAM;
                bannerLine = i + 1;
            }
            if (line.contains("Throughput")) {
                headKind = Kind.STREAM;
            } else if (line.matches(".*\\bTrans\\..*")) {
                headKind = Kind.RR;
            }
            Matcher bits = Pattern.compile("\\b(10\\^\\d+bits/sec|[KMG]Bytes/sec)").matcher(line);
            if (bits.find()) {
                unit = bits.group(1);
            }
            if (numbers(line) != null) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            throw new UnreadableOutputException(source, 0, "no netperf result line (a line of numbers) in '"
                    + Tails.of(output, 5) + "'; expected netperf classic output or omni "
                    + "-k key=value output");
        }
        if (bannerKind != null && headKind != null && bannerKind != headKind) {
            throw new UnreadableOutputException(source, bannerLine, "the banner says a " + words(bannerKind)
                    + " test but the column heads are those of a " + words(headKind) + " test");
        }
        Kind kind = bannerKind != null ? bannerKind : headKind;
        String[] fields = numbers(lines[first]);
        String[] second = first + 1 < lines.length ? numbers(lines[first + 1]) : null;
        terminated(source, lines, first, endsWithLineEnd);
        if (kind == null) {
            // -P 0: the shape of the lines is all there is
            if (fields.length == 5) {
                kind = Kind.STREAM;
                protocol = "TCP";
            } else if (fields.length == 6 && second != null && second.length == 4) {
                kind = Kind.STREAM;
                protocol = "UDP";
            } else if (fields.length == 6 && second != null && second.length == 2) {
                kind = Kind.RR;
            } else {
                throw new UnreadableOutputException(source, first + 1, fields.length + " numbers without a banner, "
                        + "column heads or a second line that tells the test: a UDP_STREAM and a request/response "
                        + "test both print 6; keep netperf's banner (leave out -P 0) or use omni -k output");
            }
        }
        if (kind == Kind.RR) {
            expect(source, first, fields, 6, (protocol == null ? "" : protocol + " ") + "REQUEST/RESPONSE");
            return new NetworkOutput.NetperfResult(Double.parseDouble(fields[5]), "Trans/s", Map.of(),
                    (protocol == null ? "" : protocol + "_") + "RR");
        }
        double toMbit = unit == null ? 1.0 : mbitPer(source, bannerLine, unit);
        if ("UDP".equals(protocol)) {
            expect(source, first, fields, 6, "UDP STREAM sender");
            if (second == null) {
                throw new UnreadableOutputException(source, first + 2, "the UDP STREAM receiver's line (socket, "
                        + "elapsed, messages, throughput: what arrived) is missing; the output is cut short");
            }
            terminated(source, lines, first + 1, endsWithLineEnd);
            expect(source, first + 1, second, 4, "UDP STREAM receiver");
            return new NetworkOutput.NetperfResult(Double.parseDouble(second[3]) * toMbit, "10^6bits/s", Map.of(),
                    "UDP_STREAM");
        }
        expect(source, first, fields, 5, (protocol == null ? "TCP" : protocol) + " STREAM");
        return new NetworkOutput.NetperfResult(Double.parseDouble(fields[4]) * toMbit, "10^6bits/s", Map.of(),
                (protocol == null ? "TCP" : protocol) + "_STREAM");
    }

    /** The fields of a line made only of numbers, or null. */
    private static String[] numbers(String line) {
        String stripped = line.strip();
        if (stripped.isEmpty()) {
            return null;
        }
        String[] fields = stripped.split("\\s+");
        return List.of(fields).stream().allMatch(f -> NUMBER.matcher(f).matches()) ? fields : null;
    }

    /** A result line that is the end of the file without its line end may be cut in the middle of a number. */
    private static void terminated(String source, String[] lines, int index, boolean endsWithLineEnd) {
        boolean last = index == lines.length - 1;
        if (last && !endsWithLineEnd) {
            throw new UnreadableOutputException(source, index + 1, "the result line ends without its line end at "
                    + "the end of the file: the output may be cut in the middle of a number; expected the whole of "
                    + "netperf's output");
        }
    }

    private static void expect(String source, int index, String[] fields, int count, String test) {
        if (fields.length != count) {
            throw new UnreadableOutputException(source, index + 1, fields.length + " numbers, but the result line of "
                    + "a " + test + " test has " + count);
        }
    }

    private static double mbitPer(String source, int line, String unit) {
        Double factor = TO_MBIT.get(unit);
        if (factor == null) {
            throw new UnreadableOutputException(source, line, "throughput in " + unit + ", which is not read: run "
                    + "netperf with -f m (10^6bits/sec, the default)");
        }
        return factor;
    }

    private static String words(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace("rr", "request/response");
    }
}
