package io.github.nestedvirt.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A run as a plain-text table, for a terminal or a build log. */
public final class RunText {

    private RunText() {
    }

    public static String format(Run run) {
        StringBuilder text = new StringBuilder();
        text.append("Run ").append(run.id()).append(" (").append(run.plan()).append(")");
        if (run.start() != null) {
            text.append(", ").append(run.start()).append(" to ").append(run.end() == null ? "(running)" : run.end());
        }
        text.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "metric", "level", "host", "variant", "n", "median", "95% interval of mean",
            "rsd", "unit"});
        for (Measurement measurement : run.measurements()) {
            double[] values = measurement.values();
            String variant = measurement.variant().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
            if (values.length == 0) {
                rows.add(new String[] {measurement.benchmark(), measurement.metric(), measurement.level().name(),
                    measurement.host(), variant, "0", "-", "-", "-", measurement.unit()});
                continue;
            }
            Summary summary = Summary.of(values);
            rows.add(new String[] {measurement.benchmark(), measurement.metric(), measurement.level().name(),
                measurement.host(), variant, Integer.toString(summary.n()), number(summary.median()),
                Double.isNaN(summary.ciLow()) ? "-" : "[" + number(summary.ciLow()) + ", " + number(summary.ciHigh()) + "]",
                Double.isNaN(summary.relativeStandardDeviation()) ? "-"
                        : String.format(Locale.ROOT, "%.1f%%", 100 * summary.relativeStandardDeviation()),
                measurement.unit()});
        }
        TextTable.append(text, rows);
        kvmStat(text, run);
        if (!run.failures().isEmpty()) {
            text.append("Failures:\n");
            run.failures().forEach(failure -> text.append("  ").append(failure.replace("\n", "\n    ")).append('\n'));
        }
        return text.toString();
    }

    /** What the hypervisors below did during each benchmark, once per benchmark (not per metric). */
    private static void kvmStat(StringBuilder text, Run run) {
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (Measurement measurement : run.measurements()) {
            String during = measurement.benchmark() + "@" + measurement.level() + " on " + measurement.host()
                    + (measurement.variant().isEmpty() ? "" : " " + measurement.variant());
            if (measurement.kvmStat().isEmpty() || !shown.add(during + measurement.kvmStat())) {
                continue;
            }
            text.append("kvm_stat during ").append(during).append(":\n");
            measurement.kvmStat().forEach(exits -> text.append("  ").append(exits.level()).append(' ')
                    .append(exits.host().isEmpty() ? "-" : exits.host()).append(": ").append(exits.summary()).append('\n'));
        }
    }

    /** Four significant digits: enough to compare runs, short enough to read. */
    static String number(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
