package io.github.nestedvirt.migration;

import io.github.nestedvirt.facts.HostFacts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an L1 that runs an L2 can be live-migrated between two L0s, decided before trying:
 * nested state migration needs Linux 5.3 and QEMU 4.2 on both sides ({@code KVM_CAP_NESTED_STATE}),
 * and a host-passthrough L1 needs every CPU flag of the source on the destination. The answer
 * is a list of reasons in words a user can act on, empty when migration can be tried.
 */
public final class MigrationSupport {

    static final int[] MIN_KERNEL = {5, 3};
    static final int[] MIN_QEMU = {4, 2};
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    private MigrationSupport() {
    }

    /** Why migrating from {@code source} to {@code destination} cannot work; empty when it can be tried. */
    public static List<String> reasonsAgainst(HostFacts source, HostFacts destination) {
        List<String> reasons = new ArrayList<>();
        for (HostFacts host : List.of(source, destination)) {
            // an L0 known only through a remote libvirt URI has no known kernel: not a reason against it
            if (host.kernel() != null && !atLeast(host.kernel(), MIN_KERNEL)) {
                reasons.add(host.host() + ": kernel " + host.kernel() + " is older than 5.3, which cannot migrate the "
                        + "state of a running L2 (KVM_CAP_NESTED_STATE)");
            }
            if (!atLeast(host.qemuVersion(), MIN_QEMU)) {
                reasons.add(host.host() + ": QEMU " + (host.qemuVersion() == null ? "is not installed" : host.qemuVersion()
                        + " is older than 4.2") + ", which cannot migrate a guest hypervisor with a running L2");
            }
        }
        Set<String> missing = new LinkedHashSet<>(source.cpuFlags() == null ? List.of() : source.cpuFlags());
        missing.removeAll(destination.cpuFlags() == null ? List.of() : destination.cpuFlags());
        if (!missing.isEmpty()) {
            reasons.add(destination.host() + " lacks CPU flags of " + source.host() + ": " + String.join(" ", missing)
                    + "; a host-passthrough L1 cannot move there (use a named CPU model both hosts offer)");
        }
        return reasons;
    }

    /** Whether {@code version} (e.g. {@code 6.1.0-31-amd64}, {@code 7.2.15}) is at least {@code minimum}. */
    static boolean atLeast(String version, int[] minimum) {
        if (version == null) {
            return false;
        }
        Matcher numbers = VERSION.matcher(version);
        if (!numbers.find()) {
            return false;
        }
        int major = Integer.parseInt(numbers.group(1));
        int minor = Integer.parseInt(numbers.group(2));
        return major > minimum[0] || major == minimum[0] && minor >= minimum[1];
    }
}
