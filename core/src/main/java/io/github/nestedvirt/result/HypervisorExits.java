package io.github.nestedvirt.result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the hypervisor below a measured level did while the benchmark ran: KVM events per second,
 * VM exits by reason and the nested exits among them ({@code kvm_nested_vmexit},
 * {@code kvm_nested_vmexit_inject}). That is what explains a nested slowdown.
 *
 * @param level the hypervisor's level, e.g. {@code L0} under an L1 run
 * @param host the hypervisor's name
 * @param source where the counts came from: {@code kvm_stat}, {@code debugfs} or {@code tracefs};
 *     null when nothing could be captured
 * @param seconds how long the capture lasted
 * @param perSecond mean events per second by name, in kvm_stat's words: {@code kvm_exit},
 *     {@code kvm_exit(EPT_VIOLATION)}, {@code kvm_nested_vmexit}, or a debugfs counter such as {@code exits}
 * @param notes why sources before {@code source} were not used, and anything that limits the figures
 *     (events lost in a full trace buffer); when {@code source} is null, why nothing was captured
 */
public record HypervisorExits(Level level, String host, String source, double seconds, Map<String, Double> perSecond,
        List<String> notes) {

    public HypervisorExits {
        perSecond = perSecond == null ? Map.of() : new LinkedHashMap<>(perSecond);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Nothing captured on this hypervisor, and why. */
    public static HypervisorExits unavailable(Level level, String host, List<String> why) {
        return new HypervisorExits(level, host, null, 0, Map.of(), why);
    }

    public boolean captured() {
        return source != null;
    }

    /** The figures worth a glance, as one line: exits, nested exits, the busiest exit reasons; or why none. */
    public String summary() {
        if (!captured()) {
            return "not captured: " + String.join("; ", notes);
        }
        List<String> parts = new ArrayList<>();
        for (String event : List.of("kvm_exit", "exits", "kvm_nested_vmexit", "kvm_nested_vmexit_inject", "nested_run")) {
            Double rate = perSecond.get(event);
            if (rate != null) {
                parts.add(event + " " + RunText.number(rate) + "/s");
            }
        }
        String reasons = perSecond.entrySet().stream().filter(e -> e.getKey().startsWith("kvm_exit("))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .map(e -> e.getKey().substring("kvm_exit(".length(), e.getKey().length() - 1) + " "
                        + RunText.number(e.getValue()) + "/s")
                .collect(Collectors.joining(", "));
        if (!reasons.isEmpty()) {
            parts.add("top reasons: " + reasons);
        }
        return source + ", " + RunText.number(seconds) + " s: " + String.join("; ", parts)
                + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
    }
}
