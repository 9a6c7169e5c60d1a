package io.github.nestedvirt.kvmstat;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event counts of one kvm_stat interval.
 *
 * @param index 0-based position among the capture's intervals
 * @param time when kvm_stat printed it (its local time, no zone), or null where the format has none
 * @param countsPerEvent events in this interval, by kvm_stat's event name, e.g.
 *     {@code kvm_exit(EXTERNAL_INTERRUPT)}, {@code kvm_nested_vmexit}, in kvm_stat's order
 */
public record KvmStatSample(int index, LocalDateTime time, Map<String, Long> countsPerEvent) {

    public KvmStatSample {
        countsPerEvent = Collections.unmodifiableMap(new LinkedHashMap<>(countsPerEvent));
    }
}
