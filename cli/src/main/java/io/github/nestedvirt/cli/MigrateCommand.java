package io.github.nestedvirt.cli;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.LibvirtErrorOutput;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.lifecycle.TopologyRecordException;
import io.github.nestedvirt.migration.L0Facts;
import io.github.nestedvirt.migration.LiveMigration;
import io.github.nestedvirt.migration.MigrationBenchmark;
import io.github.nestedvirt.migration.MigrationRefusedException;
import io.github.nestedvirt.migration.MigrationRoute;
import io.github.nestedvirt.provision.LibvirtFailedException;
import io.github.nestedvirt.provision.ProvisionedGuest;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import io.github.nestedvirt.result.RunText;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nvmx migrate}: live migration of a guest hypervisor to another L0, measured (seed item 5). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Live-migrates a running L1 from its L0's libvirt to another L0's libvirt (persistent there, "
                + "undefined on the source) and measures it: total migration time, the downtime a client of the "
                + "guest saw (an SSH session in which the guest prints a line every 10 ms; the longest silence), "
                + "and QEMU's own downtime figure. Afterwards the L1 and every L2 it runs must answer a fresh SSH "
                + "login. The run's topology.json follows the guest, so 'nvmx teardown' finds it on its new L0.",
            "With --round-trips N it goes there and back N times and records every leg; the results are stored "
                + "as benchmark 'migration' in --results, like any other benchmark.",
            "Before trying, it asks both L0s' libvirt for their QEMU version, kernel (known for an L0 on this "
                + "machine only) and host CPU features, and refuses what cannot work: QEMU older than 4.2, Linux "
                + "older than 5.3, CPU features the destination lacks (--force tries anyway).",
            "When libvirt or QEMU refuses (e.g. QEMU that cannot migrate a running L2, a CPU the destination "
                + "lacks, disks not on shared storage) it says 'not supported' and exits with 7."},
        footer = {"", "Examples:",
            "  nvmx migrate --run-dir runs/r1 --to qemu+ssh://root@l0b/system --copy-storage --round-trips 3",
            "  nvmx migrate --connect qemu:///system --domain my-l1 --to qemu+ssh://root@l0b/system"})
final class MigrateCommand implements Callable<Integer> {

    /** Where the guest is: a run of ours, or any libvirt domain. */
    static final class Guest {
        @Option(names = "--run-dir", paramLabel = "DIR", required = true,
                description = "Run directory of 'nvmx provision': the guest's L0 comes from its topology.json, SSH "
                        + "access from provisioned.json.")
        Path runDir;

        @Option(names = "--connect", paramLabel = "URI", required = true,
                description = "Instead of --run-dir: the source libvirt URI. Only time and QEMU's downtime are "
                        + "measured then (no SSH access to the guest is known).")
        String sourceUri;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Guest from;

    @Option(names = "--domain", paramLabel = "NAME",
            description = "The guest (libvirt domain name). Needed with --connect; with --run-dir, the run's only "
                    + "L1 by default.")
    String domain;

    @Option(names = "--to", paramLabel = "URI", required = true,
            description = "The destination libvirt URI, e.g. qemu+ssh://root@l0b/system.")
    String destinationUri;

    @Option(names = "--copy-storage",
            description = "Copy the disks to the destination while the guest runs (for L0s without shared "
                    + "storage; the destination needs a storage pool at the same path). The source's copies of "
                    + "the run's volumes are removed afterwards.")
    boolean copyStorage;

    @Option(names = "--unsafe",
            description = "Skip libvirt's check that the disks are on shared storage; only when both L0s really "
                    + "see the same files and libvirt cannot tell.")
    boolean unsafe;

    @Option(names = "--force",
            description = "Try even when what both L0s' libvirt tells (QEMU and libvirt versions, kernel, host CPU "
                    + "features) says the migration cannot work.")
    boolean force;

    @Option(names = "--migrate-uri", paramLabel = "URI",
            description = "Where the source's QEMU sends the memory, e.g. tcp://10.0.0.2 (default: the "
                    + "destination's host name).")
    String migrateUri;

    @Option(names = "--round-trips", paramLabel = "N", defaultValue = "0",
            description = "Go there and back N times (2N migrations, the guest ends where it started); 0 migrates "
                    + "once, one way. Default: ${DEFAULT-VALUE}.")
    int roundTrips;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory; the measurements are stored as a new run. Default: ${DEFAULT-VALUE}.")
    Path results;

    @Option(names = "--json", description = "Print the stored run as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LibvirtErrorOutput.silence();
        if (copyStorage && unsafe) {
            throw new IllegalArgumentException("--copy-storage and --unsafe: give one; --unsafe is for disks both "
                    + "L0s share, --copy-storage for disks they do not");
        }
        if (roundTrips < 0) {
            throw new IllegalArgumentException("--round-trips: " + roundTrips + " is negative; give 0 or more");
        }
        MigrationRoute.Storage storage = copyStorage ? MigrationRoute.Storage.COPY
                : unsafe ? MigrationRoute.Storage.SHARED_UNCHECKED : MigrationRoute.Storage.SHARED;
        ConsoleProgress progress = new ConsoleProgress(System.err);
        MigrationRoute route;
        TopologyRecord record = null;
        MigrationBenchmark.Checks checks;
        MigrationBenchmark.GuestLogin login;
        if (from.runDir != null) {
            try {
                record = TopologyRecord.read(from.runDir);
            } catch (TopologyRecordException e) {
                throw new IllegalArgumentException("--run-dir: " + e.getMessage(), e);
            }
            ProvisionedTopology guests;
            try {
                guests = ProvisionedTopology.read(from.runDir);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--run-dir: " + e.getMessage(), e);
            }
            String guest = domain != null ? domain : onlyL1(guests);
            route = MigrationRoute.fromRecord(record, guest, destinationUri, storage, migrateUri);
            checks = MigrationBenchmark.Checks.of(guests, guest);
            login = name -> SshHost.connect(guests.sshTarget(name));
        } else {
            if (domain == null) {
                throw new IllegalArgumentException("--connect: also give --domain NAME, the guest to migrate");
            }
            route = new MigrationRoute(domain, from.sourceUri, destinationUri, storage, migrateUri);
            checks = new MigrationBenchmark.Checks(null, List.of());
            login = name -> {
                throw new HostException(name, "no SSH access known");
            };
        }
        if (!force) {
            List<String> reasons;
            try {
                reasons = L0Facts.reasonsAgainst(route);
            } catch (LibvirtFailedException e) {
                System.err.println("nvmx: cannot ask the L0s' libvirt before migrating: " + e.getMessage());
                return ExitCode.BENCHMARK_FAILED;
            }
            if (!reasons.isEmpty()) {
                System.err.println("nvmx: not supported between these L0s:");
                reasons.forEach(reason -> System.err.println("  " + reason));
                System.err.println("nvmx: nothing was migrated; --force tries anyway");
                return ExitCode.NOT_SUPPORTED;
            }
        }
        Instant start = Instant.now();
        List<Measurement> measurements;
        try {
            measurements = new MigrationBenchmark(LiveMigration.withLibvirt(), login, progress)
                    .run(route, roundTrips, checks, record);
        } catch (MigrationRefusedException e) {
            System.err.println("nvmx: " + e.getMessage());
            return ExitCode.NOT_SUPPORTED;
        } catch (LibvirtFailedException e) {
            System.err.println("nvmx: migration failed: " + e.getMessage());
            System.err.println("nvmx: the guest still runs where it was before this migration ("
                    + (record == null ? route.sourceUri() : "see " + record.file()) + ")");
            return ExitCode.BENCHMARK_FAILED;
        }
        Run run = new Run(Run.SCHEMA_VERSION, RunId.next(start), start, Instant.now(), "migrate", List.of(),
                measurements, List.of());
        Path stored = new ResultStore(results).save(run);
        if (json) {
            System.out.println(ResultJson.mapper().writeValueAsString(run));
        } else {
            System.out.print(RunText.format(run));
            System.out.println("Stored in " + stored);
        }
        return ExitCode.OK;
    }

    private static String onlyL1(ProvisionedTopology guests) {
        List<String> l1s = guests.guests().stream().filter(g -> g.via() == null).map(ProvisionedGuest::name).toList();
        if (l1s.size() != 1) {
            throw new IllegalArgumentException("--domain: run " + guests.run() + " has the L1s " + l1s
                    + "; name the one to migrate");
        }
        return l1s.get(0);
    }
}
