package io.github.nestedvirt.trend;

import io.github.nestedvirt.result.Level;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One line of a trend chart: a nesting level with the variant it ran in.
 *
 * @param level the nesting level
 * @param variant the settings that distinguish it, sorted by name
 */
public record SeriesKey(Level level, Map<String, String> variant) implements Comparable<SeriesKey> {

    public SeriesKey {
        variant = variant == null ? Map.of() : new TreeMap<>(variant);
    }

    /** The line of a metric: its level and whole variant. */
    static SeriesKey of(MetricSummary metric) {
        return new SeriesKey(metric.level(), metric.variant());
    }

    /** The legend text: {@code L1} or {@code L2 mmu=shadow-on-ept, shadowVmcs=off}. */
    public String name() {
        return level + variantText();
    }

    /** The variant as legend text with a leading space, or empty. */
    String variantText() {
        if (variant.isEmpty()) {
            return "";
        }
        return variant.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", " ", ""));
    }

    @Override
    public int compareTo(SeriesKey other) {
        int byLevel = level.compareTo(other.level);
        return byLevel != 0 ? byLevel : variantText().compareTo(other.variantText());
    }
}
