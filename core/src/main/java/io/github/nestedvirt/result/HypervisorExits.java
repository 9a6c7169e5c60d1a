package io.github.nestedvirt.result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
}
