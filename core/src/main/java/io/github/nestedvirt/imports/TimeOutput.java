package io.github.nestedvirt.imports;

import io.github.nestedvirt.output.OutputLines;
import io.github.nestedvirt.output.UnreadableOutputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure parser for what {@code time} prints, once or many times (a loop such as
 * {@code for i in $(seq 10); do time guestfish -a /dev/null run; done 2>&1 | tee log}). Recognised:
 * bash's keyword ({@code real 1m2.345s}), POSIX {@code time -p} ({@code real 62.34}), GNU
 * {@code /usr/bin/time -v} and GNU's default one-line format. Every other line (the timed command's own
 * output, banners) is left alone.
 */
public final class TimeOutput {

    /**
     * The runs found, in order.
     *
     * @param format the format of the first run
     */
    public record Result(TimeFormat format, List<TimedRun> runs) {

        public Result {
            runs = List.copyOf(runs);
        }

        /** The wall-clock seconds of every run, in order. */
        public double[] realSeconds() {
            return runs.stream().mapToDouble(TimedRun::realSeconds).toArray();
        }
    }

    /**
     * The command line a shell's {@code time} timed, where the log shows it: a prompt ({@code $ time make},
     * {@code # time make}, {@code user@host:~$ time make}) or {@code set -x}'s trace ({@code + time make}).
     */
    private static final Pattern TIME_COMMAND = Pattern.compile("(?:.*?[$#]\\s+|\\++\\s+)time\\s+(?:-p\\s+)?(\\S.*)");
    private static final Pattern SHELL_LINE = Pattern.compile("(real|user|sys)\\s+(.+)");
    private static final Pattern BASH_TIME = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(\\d+(?:[.,]\\d+)?)s");
    private static final Pattern POSIX_TIME = Pattern.compile("\\d+(?:[.,]\\d+)?");
    private static final Pattern VERBOSE_LINE = Pattern.compile("([A-Z][^:]*(?:\\([^)]*\\))?[^:]*): (.*)");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");
    private static final Pattern GNU_LINE = Pattern.compile("(\\d+\\.\\d+)user (\\d+\\.\\d+)system (\\S+)elapsed"
            + " .*?(?:(\\d+)maxresident\\)k)?");

    private TimeOutput() {
    }

    public static Result parse(String source, String text) {
        List<String> lines = OutputLines.of(text);
        List<Run> runs = new ArrayList<>();
        Run current = null;
        String shown = null;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            Matcher typed = TIME_COMMAND.matcher(line);
            if (typed.matches() && !typed.group(1).startsWith("-")) {
                shown = typed.group(1).strip(); // /usr/bin/time -v names its command itself
                continue;
            }
            Matcher shell = SHELL_LINE.matcher(line);
            Matcher verbose = VERBOSE_LINE.matcher(line);
            Matcher gnu = GNU_LINE.matcher(line);
            if (shell.matches() && (shell.group(1).equals("real") || current != null)) {
                String value = shell.group(2).strip();
                TimeFormat format = value.endsWith("s") ? TimeFormat.BASH : TimeFormat.POSIX;
                double seconds = shellSeconds(source, number, shell.group(1), value, format);
                if (shell.group(1).equals("real")) {
                    current = new Run(format, number);
                    current.real = seconds;
                    current.command = shown;
                    shown = null;
                    runs.add(current);
                } else if (current != null && current.format == format) {
                    if (shell.group(1).equals("user")) {
                        current.user = seconds;
                    } else {
                        current.system = seconds;
                    }
                }
            } else if (gnu.matches()) {
                current = new Run(TimeFormat.GNU, number);
                current.user = Double.parseDouble(gnu.group(1));
                current.system = Double.parseDouble(gnu.group(2));
                current.real = clock(source, number, gnu.group(3));
                current.maxResidentKb = gnu.group(4) == null ? null : Long.valueOf(gnu.group(4));
                runs.add(current);
            } else if (verbose.matches()) {
                current = verbose(source, number, verbose.group(1), verbose.group(2).strip(), current, runs);
            }
        }
        List<TimedRun> timed = new ArrayList<>();
        for (Run run : runs) {
            if (run.real == null) {
                throw new UnreadableOutputException(source, run.line, "GNU time -v output without its line"
                        + " 'Elapsed (wall clock) time (h:mm:ss or m:ss): M:SS.ss'");
            }
            timed.add(new TimedRun(run.realLine, run.real, run.user, run.system, run.maxResidentKb, run.command,
                    run.exitStatus, run.format));
        }
        if (timed.isEmpty()) {
            throw new UnreadableOutputException(source, 0, "no timing found: expected bash 'real 0m1.234s',"
                    + " POSIX time -p 'real 1.23', or GNU /usr/bin/time [-v] output");
        }
        return new Result(runs.get(0).format, timed);
    }

    /** One line of {@code time -v}; returns the run it belongs to. */
    private static Run verbose(String source, int number, String key, String value, Run current, List<Run> runs) {
        Run run = current;
        if (key.equals("Command being timed")) {
            run = new Run(TimeFormat.GNU_VERBOSE, number);
            run.command = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                    ? value.substring(1, value.length() - 1) : value;
            runs.add(run);
            return run;
        }
        if (!key.startsWith("Elapsed (wall clock) time") && !key.equals("User time (seconds)")
                && !key.equals("System time (seconds)") && !key.equals("Maximum resident set size (kbytes)")
                && !key.equals("Exit status")) {
            return current; // the other counters of time -v, or a line of the command's own output
        }
        if (run == null || run.format != TimeFormat.GNU_VERBOSE
                || (key.startsWith("Elapsed") && run.real != null)) {
            run = new Run(TimeFormat.GNU_VERBOSE, number); // time -v output cut above its first line
            runs.add(run);
        }
        try {
            switch (key) {
                case "User time (seconds)" -> run.user = Double.parseDouble(value);
                case "System time (seconds)" -> run.system = Double.parseDouble(value);
                case "Maximum resident set size (kbytes)" -> run.maxResidentKb = Long.parseLong(value);
                case "Exit status" -> run.exitStatus = Integer.parseInt(value);
                default -> {
                    run.real = clock(source, number, value);
                    run.realLine = number;
                }
            }
        } catch (NumberFormatException e) {
            throw new UnreadableOutputException(source, number, key + ": expected a number, got '" + value + "'");
        }
        return run;
    }

    private static double shellSeconds(String source, int number, String key, String value, TimeFormat format) {
        Matcher bash = BASH_TIME.matcher(value);
        if (format == TimeFormat.BASH && bash.matches()) {
            double hours = bash.group(1) == null ? 0 : Double.parseDouble(bash.group(1));
            double minutes = bash.group(2) == null ? 0 : Double.parseDouble(bash.group(2));
            return hours * 3600 + minutes * 60 + decimal(bash.group(3));
        }
        if (format == TimeFormat.POSIX && POSIX_TIME.matcher(value).matches()) {
            return decimal(value);
        }
        throw new UnreadableOutputException(source, number, key + ": expected bash's '0m1.234s' or time -p's"
                + " '1.23', got '" + value + "'");
    }

    /** Seconds from {@code [h:]m:ss[.ss]}, as GNU time prints elapsed time. */
    private static double clock(String source, int number, String value) {
        Matcher clock = CLOCK.matcher(value);
        if (!clock.matches()) {
            throw new UnreadableOutputException(source, number, "elapsed time: expected h:mm:ss or m:ss.ss, got '"
                    + value + "'");
        }
        double hours = clock.group(1) == null ? 0 : Double.parseDouble(clock.group(1));
        return hours * 3600 + Double.parseDouble(clock.group(2)) * 60 + Double.parseDouble(clock.group(3));
    }

    /** Decimal commas come from locales such as de_DE, which bash honours. */
    private static double decimal(String value) {
        return Double.parseDouble(value.replace(',', '.').toLowerCase(Locale.ROOT));
    }

    /** A run being read; the timings of one run come on several lines. */
    private static final class Run {
        final TimeFormat format;
        final int line;
        int realLine;
        Double real;
        Double user;
        Double system;
        Long maxResidentKb;
        String command;
        Integer exitStatus;

        Run(TimeFormat format, int line) {
            this.format = format;
            this.line = line;
            this.realLine = line;
        }
    }
}
