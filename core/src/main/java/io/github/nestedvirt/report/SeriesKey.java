package io.github.nestedvirt.report;

import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import org.apache.commons.statistics.descriptive.Median;
import java.util.ArrayList;
import java.util.List;
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

    /** The same median as {@code Summary}, without the rest of the statistics that trends do not need. */
    private static final Median MEDIAN = Median.withDefaults();

    public SeriesKey {
        variant = variant == null ? Map.of() : new TreeMap<>(variant);
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

    /**
     * The median of every measurement of one benchmark metric in a run, per level and variant. Where
     * several hosts of one level measured the same variant (two L1 guests), their medians are combined
     * into the median of medians, so a line stays one line.
     */
    static Map<SeriesKey, Double> medians(List<Measurement> measurements, String benchmark, String metric) {
        Map<SeriesKey, List<Double>> perKey = new TreeMap<>();
        for (Measurement measurement : measurements) {
            if (benchmark.equals(measurement.benchmark()) && metric.equals(measurement.metric())
                    && measurement.level() != null && measurement.values().length > 0) {
                perKey.computeIfAbsent(new SeriesKey(measurement.level(), measurement.variant()),
                        key -> new ArrayList<>()).add(MEDIAN.evaluate(measurement.values()));
            }
        }
        Map<SeriesKey, Double> medians = new TreeMap<>();
        perKey.forEach((key, values) -> medians.put(key, values.size() == 1
                ? values.get(0) : MEDIAN.evaluate(values.stream().mapToDouble(Double::doubleValue).toArray())));
        return medians;
    }
}
