package io.github.nestedvirt.kvmstat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kvm_stat recorded: event counts per interval, and the interval length, so that counts become
 * rates (exits per second by reason: what explains a nested slowdown).
 *
 * @param format the output mode it was read from
 * @param samples every interval in order
 * @param secondsPerSample the length of one interval: 1 s in batch mode, the {@code -s} delay in log modes
 * @param totals batch mode's cumulative counts since kvm_stat started; empty in the log modes
 */
public record KvmStatCapture(KvmStatFormat format, List<KvmStatSample> samples, double secondsPerSample,
        Map<String, Long> totals) {

    /** The nested-virtualization tracepoints, counted on the L0 of a nested guest. */
    public static final List<String> NESTED_EVENTS = List.of("kvm_nested_vmexit", "kvm_nested_vmexit_inject");

    private static final Pattern EXIT_REASON = Pattern.compile("kvm_exit\\((.+)\\)");

    public KvmStatCapture {
        samples = List.copyOf(samples);
        totals = Map.copyOf(totals);
    }

    /** Every event seen, in the order kvm_stat printed them. */
    public List<String> events() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        samples.forEach(sample -> sample.countsPerEvent().keySet().forEach(event -> seen.put(event, true)));
        return List.copyOf(seen.keySet());
    }

    /** Mean events per second over the whole capture, by event name. */
    public Map<String, Double> perSecond() {
        Map<String, Double> rates = new LinkedHashMap<>();
        double seconds = samples.size() * secondsPerSample;
        for (String event : events()) {
            long count = samples.stream().mapToLong(s -> s.countsPerEvent().getOrDefault(event, 0L)).sum();
            rates.put(event, seconds == 0 ? 0 : count / seconds);
        }
        return rates;
    }

    /** Events per second in each interval, for one event: the samples of a measurement. */
    public double[] perSecond(String event) {
        return samples.stream().mapToDouble(s -> s.countsPerEvent().getOrDefault(event, 0L) / secondsPerSample)
                .toArray();
    }

    /**
     * Mean VM exits per second by exit reason, from the {@code kvm_exit(REASON)} child events, e.g.
     * {@code EPT_VIOLATION -> 1520.3}.
     */
    public Map<String, Double> exitsPerSecondByReason() {
        Map<String, Double> byReason = new LinkedHashMap<>();
        perSecond().forEach((event, rate) -> {
            Matcher reason = EXIT_REASON.matcher(event);
            if (reason.matches()) {
                byReason.put(reason.group(1), rate);
            }
        });
        return byReason;
    }
}
