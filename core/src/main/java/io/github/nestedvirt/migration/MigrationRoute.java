package io.github.nestedvirt.migration;

import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import java.util.Objects;

/**
 * Where one live migration takes a guest: from the libvirt of one L0 to the libvirt of another.
 *
 * @param guest the libvirt domain name of the guest (an L1)
 * @param sourceUri the libvirt URI it runs on now, e.g. {@code qemu+ssh://root@l0a/system}
 * @param destinationUri the libvirt URI it moves to
 * @param storage how its disks get to the destination
 * @param migrateUri where the source's QEMU sends the guest's memory, e.g. {@code tcp://10.0.0.2};
 *     null lets the destination name itself (its host name must then resolve on the source)
 */
public record MigrationRoute(String guest, String sourceUri, String destinationUri, Storage storage,
        String migrateUri) {

    /** How the guest's disks get to the destination. */
    public enum Storage {
        /** Both L0s see the same disk files, on a file system libvirt knows to be shared (NFS, Ceph...). */
        SHARED,
        /**
         * Both L0s see the same disk files, but libvirt cannot tell (e.g. two daemons on one machine):
         * its safety check is skipped ({@code VIR_MIGRATE_UNSAFE}, {@code virsh migrate --unsafe}).
         */
        SHARED_UNCHECKED,
        /** The disks are copied to the destination while the guest runs ({@code VIR_MIGRATE_NON_SHARED_DISK}). */
        COPY;

        /** The variant of the measurement: {@code shared} or {@code copy}. */
        public String variant() {
            return this == COPY ? "copy" : "shared";
        }
    }

    public MigrationRoute {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(sourceUri, "sourceUri");
        Objects.requireNonNull(destinationUri, "destinationUri");
        Objects.requireNonNull(storage, "storage");
        if (sourceUri.equals(destinationUri)) {
            throw new IllegalArgumentException("destination URI " + destinationUri + " is the source URI: a guest "
                    + "migrates to another L0's libvirt");
        }
    }

    /**
     * The route of a guest of a run: it leaves from where the run's {@code topology.json} last
     * recorded it.
     *
     * @throws IllegalArgumentException when the record holds no live domain of that name
     */
    public static MigrationRoute fromRecord(TopologyRecord record, String guest, String destinationUri,
            Storage storage, String migrateUri) {
        String source = record.live().stream()
                .filter(r -> r.kind() == Resource.Kind.DOMAIN && r.name().equals(guest)
                        && r.state() == Resource.State.CREATED)
                .map(Resource::where).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(record.file() + ": run " + record.run()
                        + " has no running guest named " + guest + "; the guests it recorded are "
                        + record.live().stream().filter(r -> r.kind() == Resource.Kind.DOMAIN).map(Resource::name)
                                .toList()));
        return new MigrationRoute(guest, source, destinationUri, storage, migrateUri);
    }

    /** The way back, for round trips. */
    public MigrationRoute back() {
        return new MigrationRoute(guest, destinationUri, sourceUri, storage, migrateUri);
    }

    /** For messages: {@code nvmx-l1 from qemu:///system to qemu+ssh://root@l0b/system}. */
    public String describe() {
        return guest + " from " + sourceUri + " to " + destinationUri;
    }
}
