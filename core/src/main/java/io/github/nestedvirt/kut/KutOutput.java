package io.github.nestedvirt.kut;

import io.github.nestedvirt.output.OutputLines;
import io.github.nestedvirt.output.UnreadableOutputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure parser for kvm-unit-tests output: the lines of {@code run_tests.sh} (colours stripped), the
 * {@code PASS:}/{@code FAIL:}/{@code SKIP:}/{@code XFAIL:}/{@code XPASS:} and {@code SUMMARY:} lines a
 * test prints, or the TAP 13 output of {@code run_tests.sh -t}. Other lines (a test's console chatter,
 * QEMU messages, banners) are left alone; an output with no result line at all is refused.
 */
public final class KutOutput {

    private static final Pattern RUNNER = Pattern.compile("(PASS|FAIL|SKIP) +(\\S+)(?: +(.*))?");
    private static final Pattern CHECK = Pattern.compile("(PASS|FAIL|SKIP|XFAIL|XPASS): ?(.*)");
    private static final Pattern SUMMARY = Pattern.compile("(?i)summary: *(.*)");
    /** The older single-test style (2013): {@code NAME: PASS}. */
    private static final Pattern OLD_CHECK = Pattern.compile("(.*\\S) *: *(PASS|FAIL|SKIP)");
    /** The older summary without its word: {@code N tests, M failures}. */
    private static final Pattern BARE_COUNTS = Pattern.compile("\\d+ tests?(?:, *\\d+ [a-z ]+)*");
    /** A total written by hand under runner output: {@code PASS 23}. */
    private static final Pattern TOTAL = Pattern.compile("(PASS|FAIL|SKIP) +(\\d+)");
    private static final Pattern TAP_TEST = Pattern.compile("(not )?ok\\b *(\\d+)? *(?:- *)?(.*)");
    private static final Pattern TAP_DIRECTIVE = Pattern.compile("(.*?) *# *(skip|todo)\\S* *(.*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TAP_PLAN = Pattern.compile("1\\.\\.(\\d+)(?: *#.*)?");
    private static final Pattern COUNT_PART = Pattern.compile(
            "(\\d+) (tests?|unexpected failures?|expected failures?|failures?|skipped)");
    private static final Pattern NAME_AND_REST = Pattern.compile("([^\\s:(]+)(?::? *\\((.*)\\)|: *(.*)|)");

    private KutOutput() {
    }

    /** Reads runner or TAP output, whichever {@code text} is. */
    public static KutResult parse(String source, String text) {
        List<String> lines = OutputLines.of(text);
        boolean tap = lines.stream().map(String::strip).anyMatch(line -> line.startsWith("TAP version")
                || TAP_PLAN.matcher(line).matches() || line.matches("(not )?ok\\b.*"));
        return tap ? parseTap(source, lines) : parseRunner(source, lines);
    }

    private static KutResult parseRunner(String source, List<String> lines) {
        List<KutTest> tests = new ArrayList<>();
        List<KutTest> checks = new ArrayList<>();
        List<KutTest> sinceSummary = new ArrayList<>();
        Map<String, Integer> runnerWords = new HashMap<>();
        List<Matcher> totals = new ArrayList<>();
        List<Integer> totalLines = new ArrayList<>();
        KutCounts summary = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher check = CHECK.matcher(line);
            Matcher runner = RUNNER.matcher(line);
            Matcher summaryLine = SUMMARY.matcher(line);
            Matcher total = TOTAL.matcher(line);
            Matcher oldCheck = OLD_CHECK.matcher(line);
            if (check.matches()) {
                KutTest test = new KutTest(check.group(2).strip(), KutStatus.valueOf(check.group(1)), "", null, i + 1);
                checks.add(test);
                sinceSummary.add(test);
            } else if (summaryLine.matches() || BARE_COUNTS.matcher(line).matches()) {
                String counted = summaryLine.matches() ? summaryLine.group(1).strip() : line;
                summary = counts(counted);
                if (summary == null) {
                    throw new UnreadableOutputException(source, i + 1, "expected 'SUMMARY: N tests[, M unexpected"
                            + " failures][, K expected failures][, S skipped]', got '" + line + "'");
                }
                if (!sinceSummary.isEmpty()) {
                    agree(source, i + 1, line, summary, sinceSummary);
                }
                sinceSummary.clear();
            } else if (total.matches()) {
                totals.add(total);
                totalLines.add(i + 1);
            } else if (runner.matches()) {
                tests.add(runnerTest(source, i + 1, runner.group(1), runner.group(2), runner.group(3)));
                runnerWords.merge(runner.group(1), 1, Integer::sum);
            } else if (oldCheck.matches()) {
                KutTest test = new KutTest(oldCheck.group(1).strip(), KutStatus.valueOf(oldCheck.group(2)), "", null,
                        i + 1);
                checks.add(test);
                sinceSummary.add(test);
            }
        }
        if (tests.isEmpty() && checks.isEmpty()) {
            throw new UnreadableOutputException(source, 0, "no kvm-unit-tests result line: expected runner lines"
                    + " such as 'PASS msr (15 tests)' or 'SKIP vmx (reason)', checks such as 'PASS: msg', or TAP"
                    + " ('ok 1 - msr')");
        }
        for (int t = 0; t < totals.size(); t++) {
            String word = totals.get(t).group(1);
            int said = Integer.parseInt(totals.get(t).group(2));
            int found = runnerWords.getOrDefault(word, 0);
            if (said != found) {
                throw new UnreadableOutputException(source, totalLines.get(t), "'" + word + " " + said + "' reads as a "
                        + "total, not a test, but " + found + " " + word + " lines were found");
            }
        }
        if (tests.isEmpty() && !sinceSummary.isEmpty()) {
            // a test's log whose last checks have no SUMMARY after them: the test died before its end
            checks.add(new KutTest(NO_SUMMARY, KutStatus.FAIL, "the log ends after " + sinceSummary.size()
                    + " check(s) without the SUMMARY line a test prints when it ends: it crashed, hung or was killed",
                    null, lines.size()));
        }
        return new KutResult(KutFormat.RUNNER, tests, checks, summary);
    }

    /** The entry that stands for a test log cut short: a crash, never a pass. */
    public static final String NO_SUMMARY = "no SUMMARY";

    /** A SUMMARY line must count the checks printed since the previous one. */
    private static void agree(String source, int line, String text, KutCounts summary, List<KutTest> checks) {
        long failures = checks.stream().filter(c -> c.status() == KutStatus.FAIL || c.status() == KutStatus.XPASS)
                .count();
        long skipped = checks.stream().filter(c -> c.status() == KutStatus.SKIP).count();
        long expected = checks.stream().filter(c -> c.status() == KutStatus.XFAIL).count();
        if (summary.tests() != checks.size() || summary.unexpectedFailures() != failures
                || summary.skipped() != skipped || summary.expectedFailures() != expected) {
            throw new UnreadableOutputException(source, line, "'" + text + "' disagrees with the " + checks.size()
                    + " check lines before it (" + failures + " failed, " + skipped + " skipped, " + expected
                    + " expected failures): the log is incomplete or mixed; expected a test's whole log");
        }
    }

    /** {@code PASS name (counts)}, {@code SKIP name (reason)}, {@code FAIL name (timeout; duration=90s)}. */
    private static KutTest runnerTest(String source, int line, String word, String name, String rest) {
        String inside = "";
        if (rest != null && !rest.isBlank()) {
            String trimmed = rest.strip();
            if (!trimmed.startsWith("(") || !trimmed.endsWith(")")) {
                throw new UnreadableOutputException(source, line, "expected '" + word + " NAME (" + (word.equals("SKIP")
                        ? "reason" : "N tests, ...") + ")', got '" + word + " " + name + " " + trimmed + "'");
            }
            inside = trimmed.substring(1, trimmed.length() - 1).strip();
        }
        return test(name, word.equals("PASS") ? KutStatus.PASS : word.equals("SKIP") ? KutStatus.SKIP
                : KutStatus.FAIL, inside, line);
    }

    /** A test whose parenthesised text is either its counts or the reason it did not run normally. */
    private static KutTest test(String name, KutStatus status, String inside, int line) {
        KutCounts counts = inside.isEmpty() ? null : counts(inside);
        String reason = counts == null ? inside : "";
        if (status == KutStatus.FAIL && reason.startsWith("timeout")) {
            status = KutStatus.TIMEOUT;
        }
        return new KutTest(name, status, reason, counts, line);
    }

    /** {@code N tests[, M unexpected failures][, K expected failures][, S skipped]}, or null if it is not that. */
    static KutCounts counts(String text) {
        int tests = -1;
        int unexpected = 0;
        int expected = 0;
        int skipped = 0;
        for (String part : text.split(",")) {
            Matcher count = COUNT_PART.matcher(part.strip());
            if (!count.matches()) {
                return null;
            }
            int n = Integer.parseInt(count.group(1));
            String what = count.group(2);
            if (what.startsWith("test")) {
                tests = n;
            } else if (what.startsWith("unexpected") || what.startsWith("fail")) {
                // 'M failures' is the older summary's word for unexpected failures
                unexpected = n;
            } else if (what.startsWith("expected")) {
                expected = n;
            } else {
                skipped = n;
            }
        }
        return tests < 0 ? null : new KutCounts(tests, unexpected, expected, skipped);
    }

    private static KutResult parseTap(String source, List<String> lines) {
        List<KutTest> tests = new ArrayList<>();
        int plan = -1;
        int planLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("TAP version") || raw.startsWith(" ")) {
                continue; // comments, the version line and indented YAML diagnostics carry no result
            }
            Matcher planMatch = TAP_PLAN.matcher(line);
            Matcher testLine = TAP_TEST.matcher(line);
            if (planMatch.matches()) {
                plan = Integer.parseInt(planMatch.group(1));
                planLine = i + 1;
            } else if (line.startsWith("Bail out!")) {
                tests.add(new KutTest("bail-out", KutStatus.FAIL, line.substring("Bail out!".length()).strip(), null,
                        i + 1));
            } else if (testLine.matches()) {
                tests.add(tapTest(source, i + 1, testLine.group(1) == null, testLine.group(3)));
            }
        }
        if (plan < 0) {
            throw new UnreadableOutputException(source, lines.size(), "TAP output without its plan line '1..N',"
                    + " which run_tests.sh -t prints last: the run was cut short");
        }
        if (plan != tests.size()) {
            throw new UnreadableOutputException(source, planLine, "the plan says 1.." + plan + " but " + tests.size()
                    + " test lines were found");
        }
        return new KutResult(KutFormat.TAP, tests, List.of(), null);
    }

    /** {@code ok 3 - msr (15 tests)}, {@code ok 4 - vmx (reason) # SKIP}, {@code not ok 5 - vmx: timeout; duration=90s}. */
    private static KutTest tapTest(String source, int line, boolean ok, String description) {
        String text = description.strip();
        String directive = "";
        String directiveReason = "";
        Matcher hash = TAP_DIRECTIVE.matcher(text);
        if (hash.matches()) {
            text = hash.group(1).strip();
            directive = hash.group(2).toUpperCase();
            directiveReason = hash.group(3).strip();
        }
        Matcher parts = NAME_AND_REST.matcher(text);
        if (!parts.matches()) {
            throw new UnreadableOutputException(source, line, "expected '" + (ok ? "ok" : "not ok")
                    + " N - NAME [(counts or reason)] [# SKIP reason]', got '" + description + "'");
        }
        String name = parts.group(1);
        String inside = parts.group(2) != null ? parts.group(2).strip()
                : parts.group(3) != null ? parts.group(3).strip() : "";
        int colon = parts.group(3) == null ? -1 : inside.indexOf(':');
        if (colon > 0) {
            // 'test: check: detail': the check belongs to the name, or all of a test's checks share one
            name = name + ": " + inside.substring(0, colon).strip();
            inside = inside.substring(colon + 1).strip();
        }
        KutStatus status = directive.equals("SKIP") ? KutStatus.SKIP : ok ? KutStatus.PASS : KutStatus.FAIL;
        KutTest test = test(name, status, inside, line);
        if (status == KutStatus.SKIP && test.reason().isEmpty() && !directiveReason.isEmpty()) {
            test = new KutTest(test.name(), status, directiveReason, test.counts(), line);
        }
        return test;
    }
}
