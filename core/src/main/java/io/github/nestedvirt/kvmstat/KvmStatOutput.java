package io.github.nestedvirt.kvmstat;

import io.github.nestedvirt.output.OutputLines;
import io.github.nestedvirt.output.UnreadableOutputException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure parsers for the three scriptable output modes of kvm_stat (the kernel's
 * {@code tools/kvm/kvm_stat/kvm_stat}):
 *
 * <ul>
 *   <li>batch, {@code kvm_stat -1}: {@code %-42s%10d%10d} per event: name, total, count during one second;
 *   <li>log, {@code kvm_stat -l}: a line of event names, repeated every 20 records, and per interval
 *       {@code yyyy-MM-dd HH:mm:ss} followed by one count per event (kvm_stat before Linux 5.x printed no
 *       time stamp);
 *   <li>CSV, {@code kvm_stat -l -c}: {@code timestamp,EVENT,...} then {@code yyyy-MM-dd HH:mm:ss,N,...}.
 * </ul>
 *
 * Log counts are per interval ({@code -s}, 3 s by default), not per second.
 */
public final class KvmStatOutput {

    /** kvm_stat's own default for {@code -s/--set-delay}. */
    public static final double DEFAULT_DELAY_SECONDS = 3.0;

    private static final Pattern BATCH_LINE = Pattern.compile("(\\S+)\\s+(\\d+)\\s+(-?\\d+)");
    private static final Pattern EVENT = Pattern.compile("[A-Za-z_][^\\s,]*");
    private static final Pattern STAMPED = Pattern.compile("(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)(.*)");
    private static final Pattern COUNT = Pattern.compile("-?\\d+");
    /** A row of the screen: indent, event, total, %total (none on the Total row), current rate per second. */
    private static final Pattern SCREEN_ROW = Pattern.compile(
            "( *)(\\S.*?)\\s+(\\d+)(?:\\s+(\\d+(?:\\.\\d+)?))?(?:\\s+(\\d+))?\\s*");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private KvmStatOutput() {
    }

    /** Which mode printed {@code text}, judged by its first non-blank line. */
    public static KvmStatFormat detect(String source, String text) {
        for (String line : OutputLines.of(text)) {
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            if (stripped.startsWith("timestamp,")) {
                return KvmStatFormat.CSV;
            }
            if (stripped.startsWith("kvm statistics")) {
                return KvmStatFormat.SCREEN;
            }
            return BATCH_LINE.matcher(stripped).matches() ? KvmStatFormat.BATCH : KvmStatFormat.LOG;
        }
        throw new UnreadableOutputException(source, 0, "empty; expected kvm_stat -1, -l or -l -c output");
    }

    /**
     * Reads any of the three modes.
     *
     * @param secondsPerSample the {@code -s} delay of a log, or null to take it from the time stamps
     *     (kvm_stat's default of 3 s where they cannot tell); ignored for batch output
     */
    public static KvmStatCapture parse(String source, String text, Double secondsPerSample) {
        return switch (detect(source, text)) {
            case BATCH -> parseBatch(source, text);
            case LOG -> parseLog(source, text, secondsPerSample);
            case CSV -> parseCsv(source, text, secondsPerSample);
            case SCREEN -> parseScreen(source, text);
        };
    }

    /**
     * The interactive screen: each event's {@code CurAvg/s} (its rate over the last refresh) as one sample of
     * one second, and its {@code Total}. A child event, indented under its parent, is named as kvm_stat -1
     * names it: {@code kvm_exit(HLT)}. The {@code Total} row sums the others and is not an event.
     */
    public static KvmStatCapture parseScreen(String source, String text) {
        Map<String, Long> rates = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        List<String> lines = OutputLines.of(text);
        int heads = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("Guest Name")) {
                throw new UnreadableOutputException(source, i + 1, "kvm_stat's guest view (the 'Guest Name' column, "
                        + "key g) shows guests, not events; paste the event view (the 'Event' column)");
            }
            if (line.matches("Event\\s+Total\\s+%Total\\s+CurAvg/s")) {
                heads = i;
                break;
            }
        }
        if (heads < 0) {
            throw new UnreadableOutputException(source, 1, "the kvm_stat screen without its heads 'Event Total "
                    + "%Total CurAvg/s'; expected the whole screen, or kvm_stat -1, -l or -l -c output");
        }
        int parentIndent = -1;
        String parent = null;
        for (int i = heads + 1; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (raw.isBlank()) {
                continue;
            }
            Matcher row = SCREEN_ROW.matcher(raw);
            if (!row.matches()) {
                if (rates.isEmpty()) {
                    throw new UnreadableOutputException(source, i + 1, "no events on the screen ('" + raw.strip()
                            + "'); expected rows 'EVENT TOTAL %TOTAL CURAVG/S'");
                }
                throw new UnreadableOutputException(source, i + 1, "expected 'EVENT TOTAL %TOTAL CURAVG/S' as "
                        + "kvm_stat's screen shows it, e.g. 'kvm_exit  1234567  45.2  12345', got '" + raw.strip()
                        + "'");
            }
            int indent = row.group(1).length();
            String name = row.group(2).strip();
            if (name.equals("Total")) {
                break; // the sum of the rows above
            }
            if (parentIndent < 0 || indent <= parentIndent) {
                parentIndent = indent;
                parent = name;
            } else {
                name = parent + "(" + name + ")";
            }
            totals.put(name, Long.parseLong(row.group(3)));
            rates.put(name, row.group(5) == null ? 0L : Long.parseLong(row.group(5)));
        }
        if (rates.isEmpty()) {
            throw new UnreadableOutputException(source, heads + 1, "no events under the heads; expected rows "
                    + "'EVENT TOTAL %TOTAL CURAVG/S'");
        }
        return new KvmStatCapture(KvmStatFormat.SCREEN, List.of(new KvmStatSample(0, null, rates)), 1.0, totals);
    }

    /** {@code kvm_stat -1}: one sample of one second, plus the totals. */
    public static KvmStatCapture parseBatch(String source, String text) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> totals = new LinkedHashMap<>();
        List<String> lines = OutputLines.of(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher event = BATCH_LINE.matcher(line);
            if (!event.matches()) {
                throw new UnreadableOutputException(source, i + 1, "expected 'EVENT TOTAL COUNT' as kvm_stat -1"
                        + " prints it, e.g. 'kvm_exit  1234  56', got '" + line + "'");
            }
            totals.put(event.group(1), Long.parseLong(event.group(2)));
            counts.put(event.group(1), Long.parseLong(event.group(3)));
        }
        if (counts.isEmpty()) {
            throw new UnreadableOutputException(source, 0, "no events; expected kvm_stat -1 output");
        }
        return new KvmStatCapture(KvmStatFormat.BATCH, List.of(new KvmStatSample(0, null, counts)), 1.0, totals);
    }

    /** {@code kvm_stat -l}: header lines of event names, then one line of counts per interval. */
    public static KvmStatCapture parseLog(String source, String text, Double secondsPerSample) {
        List<String> header = null;
        int headerLine = 0;
        List<KvmStatSample> samples = new ArrayList<>();
        List<String> lines = OutputLines.of(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher stamped = STAMPED.matcher(line);
            LocalDateTime time = stamped.matches() ? time(source, i + 1, stamped.group(1)) : null;
            String[] fields = (stamped.matches() ? stamped.group(2) : line).strip().split("\\s+");
            if (time == null && List.of(fields).stream().allMatch(f -> EVENT.matcher(f).matches())) {
                header = List.of(fields);
                headerLine = i + 1;
                continue;
            }
            if (header == null) {
                throw new UnreadableOutputException(source, i + 1, "counts before the header line of event names"
                        + " that kvm_stat -l prints first, got '" + line + "'");
            }
            List<String> counts = fields.length == 1 && fields[0].isEmpty() ? List.of() : List.of(fields);
            samples.add(sample(source, i + 1, samples.size(), time, header, headerLine, counts));
        }
        return capture(source, KvmStatFormat.LOG, header, samples, secondsPerSample);
    }

    /** {@code kvm_stat -l -c}: a {@code timestamp,...} header and comma-separated rows. */
    public static KvmStatCapture parseCsv(String source, String text, Double secondsPerSample) {
        List<String> header = null;
        int headerLine = 0;
        List<KvmStatSample> samples = new ArrayList<>();
        List<String> lines = OutputLines.of(text);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> fields = List.of(line.split(",", -1));
            if (fields.get(0).equals("timestamp")) {
                header = fields.subList(1, fields.size());
                headerLine = i + 1;
                continue;
            }
            if (header == null) {
                throw new UnreadableOutputException(source, i + 1, "expected the header 'timestamp,EVENT,...'"
                        + " that kvm_stat -l -c prints first, got '" + line + "'");
            }
            LocalDateTime time = time(source, i + 1, fields.get(0));
            samples.add(sample(source, i + 1, samples.size(), time, header, headerLine,
                    fields.subList(1, fields.size())));
        }
        return capture(source, KvmStatFormat.CSV, header, samples, secondsPerSample);
    }

    private static KvmStatSample sample(String source, int lineNumber, int index, LocalDateTime time,
            List<String> header, int headerLine, List<String> fields) {
        if (fields.size() != header.size()) {
            throw new UnreadableOutputException(source, lineNumber, "expected " + header.size()
                    + " counts, one per event of the header on line " + headerLine + ", got " + fields.size());
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int f = 0; f < fields.size(); f++) {
            String field = fields.get(f).strip();
            if (!COUNT.matcher(field).matches()) {
                throw new UnreadableOutputException(source, lineNumber, header.get(f) + ": expected a count,"
                        + " got '" + field + "'");
            }
            counts.put(header.get(f), Long.parseLong(field));
        }
        return new KvmStatSample(index, time, counts);
    }

    private static LocalDateTime time(String source, int lineNumber, String text) {
        try {
            return LocalDateTime.parse(text.strip(), TIME);
        } catch (DateTimeParseException e) {
            throw new UnreadableOutputException(source, lineNumber, "expected a time stamp yyyy-MM-dd HH:mm:ss,"
                    + " got '" + text + "'");
        }
    }

    private static KvmStatCapture capture(String source, KvmStatFormat format, List<String> header,
            List<KvmStatSample> samples, Double secondsPerSample) {
        if (header == null || samples.isEmpty()) {
            throw new UnreadableOutputException(source, 0, header == null
                    ? "no header line of event names; expected kvm_stat " + (format == KvmStatFormat.CSV
                            ? "-l -c" : "-l") + " output"
                    : "a header but no counts: kvm_stat stopped before its first interval");
        }
        double seconds = secondsPerSample != null ? secondsPerSample : interval(samples);
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("the kvm_stat interval must be more than 0 seconds, got " + seconds);
        }
        return new KvmStatCapture(format, samples, seconds, Map.of());
    }

    /**
     * The interval from the time stamps: they have whole seconds only, so the mean over a long enough
     * span (10 s or more), rounded to kvm_stat's 0.1 s steps; kvm_stat's default otherwise. Records left
     * out by {@code -z} would stretch it: give the interval explicitly for those.
     */
    static double interval(List<KvmStatSample> samples) {
        LocalDateTime first = samples.get(0).time();
        LocalDateTime last = samples.get(samples.size() - 1).time();
        if (first == null || last == null || samples.size() < 3) {
            return DEFAULT_DELAY_SECONDS;
        }
        long span = Duration.between(first, last).toSeconds();
        if (span < 10) {
            return DEFAULT_DELAY_SECONDS;
        }
        return Math.round(10.0 * span / (samples.size() - 1)) / 10.0;
    }
}
