package io.github.nestedvirt.compare;

import io.github.nestedvirt.result.LevelRatio;
import io.github.nestedvirt.result.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Comparisons as plain-text tables, for a terminal or a build log. */
public final class ComparisonText {

    private ComparisonText() {
    }

    /** The candidate against its baseline: one line per measurement, then the fingerprint differences. */
    public static String format(RunComparison comparison) {
        StringBuilder text = new StringBuilder();
        text.append("Run ").append(comparison.candidate()).append(" against ").append(comparison.baseline())
                .append(" (").append(comparison.test().label()).append(", alpha ").append(Significance.ALPHA)
                .append(", thresholds ").append(plain(comparison.thresholds().percent())).append('%');
        if (comparison.thresholds().absolute() > 0) {
            text.append(" and ").append(plain(comparison.thresholds().absolute())).append(" in the unit");
        }
        text.append(")\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"key", "host", "baseline median", "candidate median", "change", "95% interval",
            "p", "verdict"});
        for (Comparison c : comparison.comparisons()) {
            rows.add(new String[] {c.key(), c.host(), number(c.baseline().median()) + " " + c.unit(),
                number(c.candidate().median()) + " " + c.unit(), percent(c.percentChange()),
                interval(c.ratio()), p(c.significance()), c.verdict().name()});
        }
        TextTable.append(text, rows);
        for (Comparison c : comparison.comparisons()) {
            if (!c.reasons().isEmpty()) {
                text.append("  ").append(c.key()).append(" on ").append(c.host()).append(": not comparable: ")
                        .append(String.join("; ", c.reasons())).append('\n');
            }
        }
        if (!comparison.withoutBaseline().isEmpty()) {
            text.append("No baseline for: ").append(String.join(", ", comparison.withoutBaseline())).append('\n');
        }
        if (comparison.fingerprintDifferences().isEmpty()) {
            text.append("Fingerprints: alike\n");
        } else {
            text.append("Fingerprints differ (no verdict across them):\n");
            comparison.fingerprintDifferences().forEach(d -> text.append("  ").append(d).append('\n'));
        }
        return text.toString();
    }

    /** Ratio rows (level overheads, variants side by side) under a title. */
    public static String format(String title, List<RatioRow> rows) {
        StringBuilder text = new StringBuilder(title).append('\n');
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"comparison", "ratio", "95% interval", "p", "significant"});
        for (RatioRow row : rows) {
            lines.add(new String[] {row.label(), String.format(Locale.ROOT, "%.3f", row.ratio().estimate()),
                interval(row.ratio()), p(row.significance()),
                row.significance().testable() ? (row.significance().significant() ? "yes" : "no") : "-"});
        }
        TextTable.append(text, lines);
        return text.toString();
    }

    /** The ratio's interval as a change in percent: a ratio of 1.04 to 1.06 is {@code [+4.0%, +6.0%]}. */
    public static String interval(LevelRatio ratio) {
        if (Double.isNaN(ratio.ciLow())) {
            return "-";
        }
        if (!ratio.bounded()) {
            return "unbounded";
        }
        return "[" + percent(100 * (ratio.ciLow() - 1)) + ", " + percent(100 * (ratio.ciHigh() - 1)) + "]";
    }

    /** The p-value with three decimals, {@code <0.001}, or {@code -} when there was nothing to test. */
    public static String p(Significance significance) {
        if (!significance.testable()) {
            return "-";
        }
        return significance.pValue() < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", significance.pValue());
    }

    /** A change in percent with its sign: {@code +4.2%}. */
    public static String percent(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.1f%%", value) : "-";
    }

    /** Four significant digits, {@code -} for NaN. */
    public static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4g", value);
    }

    /** 3 rather than 3.000: thresholds are given by the user, shown as given. */
    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
