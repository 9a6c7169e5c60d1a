package io.github.nestedvirt.migration;

import java.util.Objects;

/**
 * Where one live migration takes a guest: from the libvirt of one L0 to the libvirt of another.
 *
 * @param guest the libvirt domain name of the guest (an L1)
 * @param sourceUri the libvirt URI it runs on now, e.g. {@code qemu+ssh://root@l0a/system}
 * @param destinationUri the libvirt URI it moves to
 * @param copyStorage copy its disks to the destination ({@code VIR_MIGRATE_NON_SHARED_DISK}) instead of
 *     expecting them on storage both L0s share
 * @param migrateUri where the source's QEMU sends the guest's memory, e.g. {@code tcp://10.0.0.2};
 *     null lets the destination name itself (its host name must then resolve on the source)
 */
public record MigrationRoute(String guest, String sourceUri, String destinationUri, boolean copyStorage,
        String migrateUri) {

    public MigrationRoute {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(sourceUri, "sourceUri");
        Objects.requireNonNull(destinationUri, "destinationUri");
        if (sourceUri.equals(destinationUri)) {
            throw new IllegalArgumentException("destination URI " + destinationUri + " is the source URI: a guest "
                    + "migrates to another L0's libvirt");
        }
    }

    /** The way back, for round trips. */
    public MigrationRoute back() {
        return new MigrationRoute(guest, destinationUri, sourceUri, copyStorage, migrateUri);
    }

    /** For messages: {@code nvmx-l1 from qemu:///system to qemu+ssh://root@l0b/system}. */
    public String describe() {
        return guest + " from " + sourceUri + " to " + destinationUri;
    }
}
