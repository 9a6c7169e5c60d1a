package io.github.nestedvirt.stability;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a stability run saw: which guests stayed healthy, and for how long.
 *
 * @param start when the first probe round started
 * @param end when the run stopped
 * @param plannedSeconds the duration asked for
 * @param intervalSeconds time between the starts of two probe rounds
 * @param probeTimeoutSeconds how long one probe may take
 * @param roundSeconds wall time of each probe round (all guests probed in parallel), in order
 * @param interrupted true when the run was stopped before its end; what it saw until then is here
 * @param guests every guest, in the order given
 */
public record StabilityReport(Instant start, Instant end, int plannedSeconds, int intervalSeconds,
        int probeTimeoutSeconds, List<Double> roundSeconds, boolean interrupted, List<GuestStability> guests) {

    /** The {@code benchmark} of the measurements. */
    public static final String BENCHMARK = "stability";

    public StabilityReport {
        roundSeconds = List.copyOf(roundSeconds);
        guests = List.copyOf(guests);
    }

    /** The guests that stayed healthy for the whole run. */
    @JsonIgnore
    public List<GuestStability> healthyGuests() {
        return guests.stream().filter(GuestStability::healthy).toList();
    }

    /**
     * The run as results for trends: per level, one measurement per metric with one sample per
     * guest of that level: {@code healthySeconds} (s, higher is better), {@code probeFailures},
     * {@code reboots} and {@code kernelErrors} (counts, lower is better).
     */
    public List<Measurement> measurements() {
        Map<Level, List<GuestStability>> byLevel = guests.stream()
                .collect(Collectors.groupingBy(GuestStability::level, TreeMap::new, Collectors.toList()));
        List<Measurement> measurements = new ArrayList<>();
        byLevel.forEach((level, ofLevel) -> {
            String hosts = ofLevel.stream().map(GuestStability::host).collect(Collectors.joining(", "));
            // healthySeconds can only be compared between runs of the same planned length
            Map<String, String> variant = Map.of("seconds", Integer.toString(plannedSeconds));
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("guests", ofLevel.stream().map(GuestStability::name).collect(Collectors.joining(", ")));
            attributes.put("healthy", ofLevel.stream().filter(GuestStability::healthy).count() + " of " + ofLevel.size());
            attributes.put("intervalSeconds", Integer.toString(intervalSeconds));
            attributes.put("probeTimeoutSeconds", Integer.toString(probeTimeoutSeconds));
            attributes.put("rounds", Integer.toString(roundSeconds.size()));
            attributes.put("interrupted", Boolean.toString(interrupted));
            for (GuestStability guest : ofLevel) {
                if (guest.firstFailure() != null) {
                    attributes.put("firstFailure." + guest.name(), String.format("%.1f s: %s",
                            guest.firstFailure().secondsIntoRun(), guest.firstFailure().reason()));
                }
            }
            measurements.add(measurement("healthySeconds", level, hosts, variant, "s", Better.HIGHER, attributes,
                    ofLevel.stream().map(GuestStability::healthySeconds).toList()));
            measurements.add(measurement("probeFailures", level, hosts, variant, "probes", Better.LOWER, attributes,
                    ofLevel.stream().map(g -> (double) g.probesFailed()).toList()));
            measurements.add(measurement("reboots", level, hosts, variant, "reboots", Better.LOWER, attributes,
                    ofLevel.stream().map(g -> (double) g.reboots()).toList()));
            measurements.add(measurement("kernelErrors", level, hosts, variant, "lines", Better.LOWER, attributes,
                    ofLevel.stream().map(g -> (double) g.kernelErrors()).toList()));
        });
        return measurements;
    }

    private static Measurement measurement(String metric, Level level, String hosts, Map<String, String> variant,
            String unit, Better better, Map<String, String> attributes, List<Double> values) {
        return new Measurement(BENCHMARK, metric, level, hosts, variant, unit, better,
                values.stream().map(Sample::of).toList(), attributes);
    }
}
