package io.github.nestedvirt.migration;

import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.Teardown;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.ConsoleLog;
import io.github.nestedvirt.provision.LibvirtFailedException;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.provision.SerialLog;
import io.github.nestedvirt.topology.L0Spec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainJobStats;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;

/**
 * One live migration of a running guest from one L0's libvirt to another's, through
 * {@code virDomainMigrate3}: live, persistent on the destination, undefined on the source, with
 * its disks either on shared storage or copied ({@code VIR_MIGRATE_NON_SHARED_DISK}).
 *
 * <p>When the guest belongs to a run, its {@code topology.json} follows it: the guest (and each
 * copied volume) is recorded as planned on the destination before the migration starts, so a
 * crash in between leaves it to teardown; afterwards it is recorded there as created and as removed
 * on the source, and the source's stale copy of each copied volume is removed.
 */
public final class LiveMigration {

    /** What libvirt-java's {@code Domain.migrate(Connect, TypedParameter[], long)} does; replaceable in tests. */
    @FunctionalInterface
    public interface MigrateCall {
        Domain migrate(Domain guest, Connect destination, TypedParameter[] parameters, long flags)
                throws LibvirtException;
    }

    /**
     * One migration done.
     *
     * @param completedJob libvirt's statistics of the completed migration job by field name
     *     ({@code downtime}, {@code memory_iteration}, {@code memory_processed}, ...); empty when the
     *     destination keeps none
     */
    public record Leg(MigrationRoute route, double seconds, Map<String, Double> completedJob) {

        public Leg {
            completedJob = Map.copyOf(completedJob);
        }

        /** QEMU's own downtime figure: how long the guest was paused for the switch-over. */
        public OptionalDouble qemuDowntimeMillis() {
            return field("downtime");
        }

        /** How many passes over the guest's memory QEMU made before the switch-over. */
        public OptionalDouble memoryRounds() {
            return field("memory_iteration");
        }

        /** How much memory QEMU sent, in bytes, all passes together. */
        public OptionalDouble memorySentBytes() {
            return field("memory_processed");
        }

        private OptionalDouble field(String name) {
            Double value = completedJob.get(name);
            return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
        }
    }

    /** libvirt's flag to skip its shared-storage check; libvirt-java 0.5.4 has no constant for it. */
    static final int VIR_MIGRATE_UNSAFE = 1 << 9;

    private final MigrateCall call;
    private final Teardown teardown;

    public LiveMigration(MigrateCall call, Teardown teardown) {
        this.call = call;
        this.teardown = teardown;
    }

    /** Migrations through libvirt, stale volumes removed from this machine's point of view. */
    public static LiveMigration withLibvirt() {
        return new LiveMigration(Domain::migrate, Teardown.fromThisMachine());
    }

    /**
     * Migrates the guest along {@code route}.
     *
     * @param record the run's record, or null for a guest no run of ours created
     * @throws MigrationRefusedException when libvirt or QEMU says these hosts cannot do it
     * @throws LibvirtFailedException when it failed otherwise; the guest then still runs on the source
     */
    public Leg migrate(MigrationRoute route, TopologyRecord record)
            throws LibvirtFailedException, MigrationRefusedException, IOException {
        try (LibvirtSession source = LibvirtSession.open(route.sourceUri());
                LibvirtSession destination = LibvirtSession.open(route.destinationUri())) {
            String lookup = "look up domain '" + route.guest() + "'";
            Domain guest = source.call(lookup, c -> c.domainLookupByName(route.guest()));
            try {
                if (source.call("read state of domain '" + route.guest() + "'", c -> guest.isActive()) != 1) {
                    throw new IllegalArgumentException(route.guest() + " on " + route.sourceUri()
                            + " is not running; only a running guest is live-migrated (start it first)");
                }
                List<Resource> copied = route.storage() == MigrationRoute.Storage.COPY
                        ? recordedVolumes(source, guest, record) : List.of();
                Optional<Resource> domain = record == null ? Optional.empty() : recordedDomain(record, route);
                List<Resource> arriving = new ArrayList<>();
                copied.forEach(v -> arriving.add(Resource.volume(route.destinationUri(), v.pool(), v.name(), v.level())));
                domain.ifPresent(d -> arriving.add(Resource.domain(route.destinationUri(), d.name(), d.level())));
                for (Resource resource : arriving) {
                    record.planned(resource);
                }
                long start = System.nanoTime();
                Domain arrived = migrate(route, guest, destination);
                double seconds = (System.nanoTime() - start) / 1e9;
                try {
                    for (Resource resource : arriving) {
                        record.created(resource);
                    }
                    if (domain.isPresent()) {
                        record.removed(domain.get());
                    }
                    removeStaleCopies(record, copied);
                    return new Leg(route, seconds, completedJob(destination, arrived));
                } finally {
                    destination.call("free migrated domain", c -> arrived.free());
                }
            } catch (LibvirtFailedException | MigrationRefusedException e) {
                forgetWhatNeverArrived(record, route, destination);
                throw e;
            } finally {
                source.call("free domain", c -> guest.free());
            }
        }
    }

    private Domain migrate(MigrationRoute route, Domain guest, LibvirtSession destination)
            throws LibvirtFailedException, MigrationRefusedException {
        long flags = Domain.MigrateFlags.LIVE | Domain.MigrateFlags.PERSIST_DEST | Domain.MigrateFlags.UNDEFINE_SOURCE
                | switch (route.storage()) {
                    case SHARED -> 0;
                    case SHARED_UNCHECKED -> VIR_MIGRATE_UNSAFE;
                    case COPY -> Domain.MigrateFlags.NON_SHARED_DISK;
                };
        List<TypedParameter> parameters = new ArrayList<>();
        // The guest's own name: libvirt-java 0.5.4 cannot pass an empty parameter list.
        parameters.add(new TypedStringParameter(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME,
                route.guest()));
        if (route.migrateUri() != null) {
            parameters.add(new TypedStringParameter(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_URI,
                    route.migrateUri()));
        }
        try {
            return destination.call("migrate domain '" + route.guest() + "' here from " + route.sourceUri(),
                    c -> call.migrate(guest, c, parameters.toArray(TypedParameter[]::new), flags));
        } catch (LibvirtFailedException e) {
            Throwable cause = e.getCause();
            String message = cause == null ? e.getMessage() : cause.getMessage();
            Optional<MigrationRefusal> refusal = MigrationRefusal.of(message, e.errorNumber());
            if (refusal.isPresent()) {
                throw new MigrationRefusedException(route.destinationUri(), refusal.get(), e);
            }
            if (message != null && message.contains("unexpectedly failed")) {
                // The source only knows its QEMU stopped sending; why (the destination refusing the
                // incoming state, a lost connection) is written in the QEMU logs of the two L0s.
                throw e.with("the guest stays on " + route.sourceUri() + "; why QEMU ended the migration is in "
                        + Provisioner.LIBVIRT_QEMU_LOGS + route.guest() + ".log on the destination ("
                        + route.destinationUri() + ") and on the source");
            }
            throw e;
        }
    }

    /**
     * The serial console of a guest where it runs now, as its domain XML there names it: the file
     * that says why a guest stopped answering after a move. Read when that L0 is this machine;
     * empty for a remote L0 (whose file is on that machine) or a guest without a console log.
     */
    public Optional<ConsoleLog> serialConsole(String uri, String guest) {
        if (!new L0Spec(uri, null).isLocal()) {
            return Optional.empty();
        }
        try (LibvirtSession session = LibvirtSession.open(uri)) {
            Domain domain = session.call("look up domain '" + guest + "'", c -> c.domainLookupByName(guest));
            try {
                return serialLogFile(session.call("read domain XML", c -> domain.getXMLDesc(0)))
                        .map(file -> new SerialLog(Path.of(file)));
            } finally {
                session.call("free domain", c -> domain.free());
            }
        } catch (LibvirtFailedException gone) {
            return Optional.empty();
        }
    }

    /** The run's live record of the guest on the source, or empty when the run did not create it. */
    private static Optional<Resource> recordedDomain(TopologyRecord record, MigrationRoute route) {
        return record.live().stream().filter(r -> r.kind() == Resource.Kind.DOMAIN && r.name().equals(route.guest())
                && r.where().equals(route.sourceUri())).findFirst();
    }

    /** The recorded volumes behind the guest's disk files on the source: the ones a storage copy moves. */
    private static List<Resource> recordedVolumes(LibvirtSession source, Domain guest, TopologyRecord record)
            throws LibvirtFailedException {
        if (record == null) {
            return List.of();
        }
        List<Resource> volumes = new ArrayList<>();
        for (String file : diskFiles(source.call("read domain XML", c -> guest.getXMLDesc(0)))) {
            Optional<Resource> volume = source.call("look up the volume of " + file, c -> {
                StorageVol found;
                try {
                    found = c.storageVolLookupByPath(file);
                } catch (LibvirtException notInAPool) {
                    return Optional.<Resource>empty();
                }
                try {
                    String pool = found.storagePoolLookupByVolume().getName();
                    String name = found.getName();
                    return record.live().stream().filter(r -> r.kind() == Resource.Kind.VOLUME
                            && r.where().equals(source.uri()) && pool.equals(r.pool()) && name.equals(r.name()))
                            .findFirst();
                } finally {
                    found.free();
                }
            });
            volume.ifPresent(volumes::add);
        }
        return volumes;
    }

    /** After a storage copy the source's volumes are stale copies nobody uses: they go now. */
    private void removeStaleCopies(TopologyRecord record, List<Resource> copied) throws IOException {
        for (Resource stale : copied) {
            TeardownReport.Step step = teardown.remove(record, stale);
            if (step.outcome() == TeardownReport.Outcome.FAILED) {
                // the guest runs on the destination; the stale copy stays recorded for 'nvmx teardown'
                System.err.println("nvmx: " + stale.describe() + " (the source's copy) was not removed: "
                        + step.detail());
            }
        }
    }

    /**
     * After a failed migration the guest still runs on the source; what was planned on the
     * destination and is not there is marked removed, what is there stays for teardown.
     */
    private static void forgetWhatNeverArrived(TopologyRecord record, MigrationRoute route, LibvirtSession destination)
            throws IOException {
        if (record == null) {
            return;
        }
        for (Resource planned : record.live()) {
            if (planned.where().equals(route.destinationUri()) && planned.state() == Resource.State.PLANNED
                    && !existsOn(destination, planned)) {
                record.removed(planned);
            }
        }
    }

    private static boolean existsOn(LibvirtSession destination, Resource resource) {
        try {
            return switch (resource.kind()) {
                case DOMAIN -> destination.find(resource.name()).map(d -> {
                    d.close();
                    return true;
                }).orElse(false);
                case VOLUME -> destination.call("look up volume " + resource.name(), c -> {
                    try {
                        c.storagePoolLookupByName(resource.pool()).storageVolLookupByName(resource.name()).free();
                        return true;
                    } catch (LibvirtException absent) {
                        return false;
                    }
                });
                default -> true;
            };
        } catch (LibvirtFailedException unknown) {
            return true; // cannot tell: keep it for teardown
        }
    }

    /** libvirt's statistics of the completed migration, when the destination keeps them. */
    private static Map<String, Double> completedJob(LibvirtSession destination, Domain arrived) {
        Map<String, Double> fields = new HashMap<>();
        try {
            DomainJobStats stats = destination.call("read statistics of the completed migration",
                    c -> arrived.getJobStats(Domain.GetJobStatsFlags.COMPLETED));
            for (TypedParameter parameter : stats.stats) {
                try {
                    fields.put(parameter.field, Double.parseDouble(parameter.getValueAsString()));
                } catch (NumberFormatException notANumber) {
                    // no figure: not kept
                }
            }
        } catch (LibvirtFailedException notKept) {
            // older libvirt keeps no completed-job statistics on the destination
        }
        return fields;
    }

    /**
     * The file the first serial port writes: {@code <serial><log file=...>} (a pty with a log, as
     * the engine creates guests) or {@code <serial type='file'><source path=...>}.
     */
    static Optional<String> serialLogFile(String domainXml) {
        try {
            XMLStreamReader reader = xmlReader(domainXml);
            try {
                int depth = 0;
                int serialDepth = -1;
                String type = null;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.END_ELEMENT) {
                        if (depth-- == serialDepth) {
                            break; // the first serial port names no file
                        }
                    } else if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        String name = reader.getLocalName();
                        if (serialDepth < 0 && "serial".equals(name)) {
                            serialDepth = depth;
                            type = reader.getAttributeValue(XMLConstants.NULL_NS_URI, "type");
                        } else if (serialDepth > 0 && depth == serialDepth + 1) {
                            String file = "log".equals(name)
                                    ? reader.getAttributeValue(XMLConstants.NULL_NS_URI, "file")
                                    : "source".equals(name) && "file".equals(type)
                                            ? reader.getAttributeValue(XMLConstants.NULL_NS_URI, "path") : null;
                            if (file != null) {
                                return Optional.of(file);
                            }
                        }
                    }
                }
                return Optional.empty();
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException("libvirt returned a domain XML that does not parse: " + e.getMessage(), e);
        }
    }

    /** A reader of libvirt's domain XML that fetches nothing (no DTD, no external entities). */
    private static XMLStreamReader xmlReader(String domainXml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory.createXMLStreamReader(new StringReader(domainXml));
    }

    /** The files behind the guest's disks ({@code <disk><source file=...>}). */
    static List<String> diskFiles(String domainXml) {
        List<String> files = new ArrayList<>();
        try {
            XMLStreamReader reader = xmlReader(domainXml);
            try {
                boolean inDisk = false;
                int depth = 0;
                int diskDepth = -1;
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                        inDisk = inDisk && depth >= diskDepth;
                        continue;
                    }
                    if (event != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    depth++;
                    if ("disk".equals(reader.getLocalName())) {
                        inDisk = "disk".equals(reader.getAttributeValue(XMLConstants.NULL_NS_URI, "device"));
                        diskDepth = depth;
                    } else if (inDisk && depth == diskDepth + 1 && "source".equals(reader.getLocalName())) {
                        // only the disk's own source: a <backingStore>'s is deeper and stays where it is
                        String file = reader.getAttributeValue(XMLConstants.NULL_NS_URI, "file");
                        if (file != null) {
                            files.add(file);
                        }
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalStateException("libvirt returned a domain XML that does not parse: " + e.getMessage(), e);
        }
        return files;
    }
}
