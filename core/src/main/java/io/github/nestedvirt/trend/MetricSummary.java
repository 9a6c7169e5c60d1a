package io.github.nestedvirt.trend;

import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Summary;
import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A few numbers of one metric of a build: enough to draw a trend, never the samples themselves.
 *
 * <p>A plain class with final fields rather than a record: Jenkins keeps these in {@code build.xml}
 * through XStream, whose reflection converter cannot yet write the fields of a record back when it
 * reads one.
 */
public final class MetricSummary implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String benchmark;
    private final String metric;
    private final String level;
    private final TreeMap<String, String> variant;
    private final String unit;
    private final String hosts;
    private final double median;
    private final double low;
    private final double high;
    private final int n;
    private final boolean higherBetter;

    /**
     * @param key the measurement key ({@code kernel-build/seconds@L2,shadowVmcs=on}), stable across builds
     * @param level the nesting level, e.g. {@code L1}
     * @param variant the settings that tell this measurement from its siblings
     * @param hosts the measured hosts, comma-separated (several when guests of one level measured the same)
     * @param statistics of every non-warm-up sample of those hosts
     */
    public MetricSummary(String key, String benchmark, String metric, String level, Map<String, String> variant,
            String unit, String hosts, Summary statistics, boolean higherBetter) {
        this.key = key;
        this.benchmark = benchmark;
        this.metric = metric;
        this.level = level;
        this.variant = new TreeMap<>(variant);
        this.unit = unit;
        this.hosts = hosts;
        this.median = statistics.median();
        this.low = statistics.ciLow();
        this.high = statistics.ciHigh();
        this.n = statistics.n();
        this.higherBetter = higherBetter;
    }

    /** The measurement key: benchmark, metric, level and variant; stable across builds. */
    public String getKey() {
        return key;
    }

    public String getBenchmark() {
        return benchmark;
    }

    /** The figure within the benchmark, e.g. {@code seconds}, {@code throughput}, {@code passed}. */
    public String getMetric() {
        return metric;
    }

    public String getLevel() {
        return level;
    }

    /** The level as the engine's type, or null when the measurement had none. */
    public Level level() {
        return level == null ? null : Level.valueOf(level);
    }

    /** The variant as text, {@code mmu=ept-on-ept,shadowVmcs=on}, or empty. */
    public String getVariant() {
        return variant.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The variant's settings by name, sorted. */
    public Map<String, String> variant() {
        return Collections.unmodifiableMap(variant);
    }

    public String getUnit() {
        return unit;
    }

    public String getHosts() {
        return hosts;
    }

    public double getMedian() {
        return median;
    }

    /** Lower bound of the 95% confidence interval of the mean; NaN with fewer than two samples. */
    public double getLow() {
        return low;
    }

    /** Upper bound of the 95% confidence interval of the mean; NaN with fewer than two samples. */
    public double getHigh() {
        return high;
    }

    /** How many samples count (warm-up runs left out). */
    public int getN() {
        return n;
    }

    public boolean isHigherBetter() {
        return higherBetter;
    }

    @Override
    public String toString() {
        return key + " = " + median + " " + unit + " [" + low + ", " + high + "] n=" + n;
    }
}
