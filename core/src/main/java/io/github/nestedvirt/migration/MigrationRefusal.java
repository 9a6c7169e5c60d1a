package io.github.nestedvirt.migration;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Error;

/**
 * A migration that libvirt or QEMU refused because this pair of hosts cannot do it, told apart
 * from a failure: such a result is reported as "not supported on this host", not as a crash.
 *
 * @param kind why
 * @param detail what the user can do about it
 */
public record MigrationRefusal(Kind kind, String detail) {

    public enum Kind {
        /** QEMU without nested-state migration refuses while L1 runs an L2. */
        NESTED_STATE_NOT_SUPPORTED,
        /** The destination's CPU lacks features the L1's CPU definition needs. */
        CPU_MISMATCH,
        /** The libvirt driver (or its version) on one side has no live migration at all. */
        DRIVER_CANNOT_MIGRATE,
        /** The disks are not on storage libvirt knows both L0s share. */
        STORAGE_NOT_SHARED
    }

    /** libvirt's codes for "this driver or connection cannot do that at all". */
    private static final Set<Error.ErrorNumber> UNSUPPORTED = Set.of(Error.ErrorNumber.VIR_ERR_NO_SUPPORT,
            Error.ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED);

    private static final String NESTED_BLOCKER = "Nested VMX virtualization does not support live migration yet";
    /** The destination QEMU's check: the L1's vCPU was running an L2, and no nested state came with it. */
    private static final String NESTED_STATE_MISSING = "vCPU set in guest-mode inconsistent with migrated kernel "
            + "nested state";
    private static final Pattern MISSING_FEATURES = Pattern.compile(
            "guest CPU doesn't match specification: missing features: ([\\w\\-.,]+)");

    /** The refusal in libvirt's error message, or empty when the message reports a real failure. */
    public static Optional<MigrationRefusal> of(String libvirtMessage) {
        if (libvirtMessage == null) {
            return Optional.empty();
        }
        if (libvirtMessage.contains(NESTED_BLOCKER)) {
            return Optional.of(new MigrationRefusal(Kind.NESTED_STATE_NOT_SUPPORTED, "not supported on this host: QEMU "
                    + "cannot migrate an L1 while it runs an L2; use QEMU 4.2 or newer on Linux 5.3 or newer on both "
                    + "L0s"));
        }
        if (libvirtMessage.contains(NESTED_STATE_MISSING)) {
            return Optional.of(new MigrationRefusal(Kind.NESTED_STATE_NOT_SUPPORTED, "not supported on this host: the "
                    + "L1 was running an L2 and its nested state did not come along (the destination QEMU says: "
                    + NESTED_STATE_MISSING + "); the L1 stays on the source. Under KVM use QEMU 4.2 or newer on "
                    + "Linux 5.3 or newer on both L0s; an L1 under TCG cannot carry it"));
        }
        Matcher missing = MISSING_FEATURES.matcher(libvirtMessage);
        if (missing.find()) {
            return Optional.of(new MigrationRefusal(Kind.CPU_MISMATCH, "not supported between these hosts: the "
                    + "destination lacks " + missing.group(1).replace(",", " ") + "; give the L1 a named CPU model "
                    + "that both hosts offer, with vmx required"));
        }
        return Optional.empty();
    }

    /**
     * The refusal in a failed libvirt call: QEMU's messages as in {@link #of(String)}, or libvirt's
     * own code for an operation the driver does not have.
     */
    public static Optional<MigrationRefusal> of(String libvirtMessage, Error.ErrorNumber errorNumber) {
        Optional<MigrationRefusal> fromQemu = of(libvirtMessage);
        if (fromQemu.isPresent()) {
            return fromQemu;
        }
        if (errorNumber == Error.ErrorNumber.VIR_ERR_MIGRATE_UNSAFE) {
            return Optional.of(new MigrationRefusal(Kind.STORAGE_NOT_SHARED, "not supported with this storage: "
                    + libvirtMessage + "; copy the disks along with the guest, put them on a shared file system (NFS, "
                    + "Ceph, GlusterFS), or, only when both L0s really see the same files, skip libvirt's check "
                    + "(unsafe)"));
        }
        if (!UNSUPPORTED.contains(errorNumber)) {
            return Optional.empty();
        }
        return Optional.of(new MigrationRefusal(Kind.DRIVER_CANNOT_MIGRATE, "not supported on this host: libvirt "
                + "cannot live-migrate here (" + libvirtMessage + "); both L0s need the QEMU driver, e.g. "
                + "qemu:///system or qemu+ssh://root@HOST/system"));
    }
}
