package io.github.nestedvirt.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out from the verbose output of {@code guestfish -v ... run} whether the libguestfs appliance
 * ran under KVM or under TCG emulation: a launch under TCG is many times slower, so a figure
 * without this fact cannot be compared.
 *
 * <p>Evidence, strongest first:
 * <ol>
 *   <li>the appliance's qemu command line (direct backend), printed after the feature probes: a
 *       single {@code -machine accel=kvm} or {@code accel=tcg}. The probes themselves use
 *       {@code accel=kvm:tcg} and are ignored.</li>
 *   <li>the libvirt domain XML (libvirt backend): {@code <domain type="kvm">}, or {@code "qemu"} for TCG.</li>
 *   <li>the appliance kernel's log: {@code Hypervisor detected: KVM}, or a {@code QEMU TCG CPU}.</li>
 * </ol>
 */
public final class GuestfishAccelerator {

    /** The measurement attribute that holds what this class found. */
    public static final String ATTRIBUTE = "accelerator";

    public static final String KVM = "kvm";
    public static final String TCG = "tcg";
    public static final String UNKNOWN = "unknown";

    /** {@code -machine accel=tcg,graphics=off} on a line of the appliance command (not a probe). */
    private static final Pattern MACHINE_ACCEL = Pattern.compile("^\\s+-machine\\s+\"?accel=([a-z:]+)");
    private static final Pattern DOMAIN_TYPE = Pattern.compile("<domain\\s+type=['\"](kvm|qemu)['\"]");

    private GuestfishAccelerator() {
    }

    /** {@link #KVM}, {@link #TCG} or {@link #UNKNOWN}. */
    public static String parse(String verboseOutput) {
        List<String> lines = verboseOutput.lines().toList();
        String fromCommand = null;
        for (String line : lines) {
            Matcher accel = MACHINE_ACCEL.matcher(line);
            if (accel.find()) {
                fromCommand = accel.group(1);
            }
        }
        if (KVM.equals(fromCommand) || TCG.equals(fromCommand)) {
            return fromCommand;
        }
        Matcher domain = DOMAIN_TYPE.matcher(verboseOutput);
        if (domain.find()) {
            return domain.group(1).equals("kvm") ? KVM : TCG;
        }
        for (String line : lines) {
            if (line.contains("Hypervisor detected: KVM")) {
                return KVM;
            }
            if (line.contains("QEMU TCG CPU")) {
                return TCG;
            }
        }
        return UNKNOWN;
    }
}
