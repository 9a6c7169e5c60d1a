package io.github.nestedvirt.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.provision.ConsoleLog;
import io.github.nestedvirt.provision.LibvirtFailedException;
import io.github.nestedvirt.provision.ProvisionedGuest;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Sample;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Seed item 5: live migration of a guest hypervisor, measured. Each leg migrates the L1 and
 * records the total migration time, the downtime a client of the guest saw ({@link DowntimeProbe})
 * and QEMU's own downtime figure; afterwards every guest to verify (the L1 and the L2s it runs)
 * must answer a fresh SSH login. Round trips go there and back again, A to B to A.
 */
public final class MigrationBenchmark {

    public static final String BENCHMARK = "migration";
    /** How long a guest may stay silent after a migration before it counts as dead. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** How much of a lost guest's console is searched for its crash: a panic's oops is about 60 lines. */
    private static final int CONSOLE_LINES = 400;

    /** Opens an SSH session to a guest of the run by its name. */
    @FunctionalInterface
    public interface GuestLogin {
        Host login(String guest) throws HostException;
    }

    /**
     * Where a guest of a run goes and how often: the keys of the {@code nestedMigrate} step (the
     * guest itself comes from the step's topology).
     *
     * @param destinationUri the libvirt URI of the other L0
     * @param storage how the guest's disks get there
     * @param migrateUri where the source's QEMU sends the memory, or null for the destination's host name
     * @param roundTrips there and back this many times; 0 migrates once, one way
     */
    public record Parameters(String destinationUri, MigrationRoute.Storage storage, String migrateUri,
            int roundTrips, boolean force) {

        public Parameters {
            if (destinationUri == null || destinationUri.isBlank()) {
                throw new IllegalArgumentException("destinationUri: give the other L0's libvirt URI, e.g. "
                        + "qemu+ssh://root@l0b/system");
            }
            if (storage == null) {
                throw new IllegalArgumentException("storage: give SHARED, SHARED_UNCHECKED or COPY");
            }
            if (roundTrips < 0) {
                throw new IllegalArgumentException("roundTrips: " + roundTrips + " is negative; give 0 (one way) "
                        + "or more");
            }
        }

        @JsonCreator
        public static Parameters fromStep(
                @JsonProperty(value = "destinationUri", required = true) @JsonPropertyDescription("The libvirt URI "
                        + "of the L0 the guest moves to, e.g. qemu+ssh://root@l0b/system.") String destinationUri,
                @JsonProperty("storage") @JsonPropertyDescription("How the guest's disks get there: SHARED (both "
                        + "L0s see them on storage libvirt knows to be shared), SHARED_UNCHECKED (shared, but "
                        + "libvirt cannot tell: its check is skipped) or COPY (copied while the guest runs; the "
                        + "destination needs a pool at the same path). Default: SHARED.")
                        MigrationRoute.Storage storage,
                @JsonProperty("migrateUri") @JsonPropertyDescription("Where the source's QEMU sends the memory, "
                        + "e.g. tcp://10.0.0.2. Default: the destination's host name.") String migrateUri,
                @JsonProperty("roundTrips") @JsonPropertyDescription("Go there and back this many times (every "
                        + "leg is recorded; the guest ends where it started). Default: 0, one way.")
                        Integer roundTrips,
                @JsonProperty("force") @JsonPropertyDescription("Try even when what both L0s' libvirt tells (QEMU "
                        + "and libvirt versions, kernel, host CPU features) says the migration cannot work. "
                        + "Default: false, such a step is not supported and moves nothing.") Boolean force) {
            return new Parameters(destinationUri, storage == null ? MigrationRoute.Storage.SHARED : storage,
                    migrateUri, roundTrips == null ? 0 : roundTrips, force != null && force);
        }

        /** The route of a guest of a run, from where its record last saw it. */
        public MigrationRoute route(TopologyRecord record, String guest) {
            return MigrationRoute.fromRecord(record, guest, destinationUri, storage, migrateUri);
        }
    }

    /**
     * @param probe the guest whose ticks give the downtime (the L1 itself, or an L2 inside it), or
     *     null to measure without a probe
     * @param verify the guests that must answer after each leg, in order
     */
    public record Checks(String probe, List<String> verify) {
        public Checks {
            verify = List.copyOf(verify);
        }

        /**
         * For a guest of a run: it must answer afterwards together with every guest nested in it
         * (the L2s reached through it). The downtime comes from the ticks of its first L2 when it
         * runs one (what a user of the L2 lives through includes the L1's pause), else from its own.
         */
        public static Checks of(ProvisionedTopology guests, String guest) {
            List<String> verify = new ArrayList<>();
            verify.add(guests.guest(guest).name());
            for (ProvisionedGuest candidate : guests.guests()) {
                for (String via = candidate.via(); via != null; via = guests.guest(via).via()) {
                    if (via.equals(guest)) {
                        verify.add(candidate.name());
                        break;
                    }
                }
            }
            return new Checks(verify.size() > 1 ? verify.get(1) : guest, verify);
        }
    }

    private final LiveMigration migration;
    private final GuestLogin login;
    private final Progress progress;

    public MigrationBenchmark(LiveMigration migration, GuestLogin login, Progress progress) {
        this.migration = migration;
        this.login = login;
        this.progress = progress;
    }

    /**
     * Migrates along {@code route}, then back and forth for {@code roundTrips} round trips (0: one
     * way only), and returns the measurements. The guest ends where it started after round trips,
     * on the destination otherwise.
     *
     * @param record the run's record (followed to each new L0), or null
     */
    public List<Measurement> run(MigrationRoute route, int roundTrips, Checks checks, TopologyRecord record)
            throws LibvirtFailedException, MigrationRefusedException, HostException, IOException, InterruptedException {
        if (roundTrips < 0) {
            throw new IllegalArgumentException("round trips: " + roundTrips + " is negative; give 0 (one way) or more");
        }
        int legs = roundTrips == 0 ? 1 : 2 * roundTrips;
        List<Sample> seconds = new ArrayList<>();
        List<Sample> downtime = new ArrayList<>();
        List<LiveMigration.Leg> done = new ArrayList<>();
        MigrationRoute leg = route;
        for (int i = 0; i < legs; i++) {
            progress.info("migrating " + leg.describe() + " (" + (i + 1) + "/" + legs + ")");
            LiveMigration.Leg moved;
            if (checks.probe() == null) {
                moved = migration.migrate(leg, record);
            } else {
                try (Host guest = login.login(checks.probe());
                        DowntimeProbe probe = DowntimeProbe.start(guest, ANSWER_TIMEOUT)) {
                    long from = System.nanoTime();
                    moved = migration.migrate(leg, record);
                    long until = System.nanoTime();
                    try {
                        downtime.add(Sample.of(probe.longestSilenceMillis(from, until, ANSWER_TIMEOUT)));
                    } catch (HostException silent) {
                        String after = String.format("after the migration of %s, which libvirt reported done in "
                                + "%.1f s", leg.describe(), moved.seconds());
                        Optional<String> lost = freshLoginFails(checks.probe());
                        if (lost.isEmpty()) {
                            throw new HostException(checks.probe(), silent.getMessage() + " (" + after + "); a "
                                    + "fresh SSH login answers, so only the probe's connection was lost in the "
                                    + "switch-over", silent);
                        }
                        throwIfCrashed(leg, after, silent);
                        throw new HostException(checks.probe(), silent.getMessage() + " (" + after + "); a fresh "
                                + "SSH login fails too (" + lost.get() + "): the guest is lost on its new L0; its "
                                + "serial and QEMU logs there say more", silent);
                    }
                }
            }
            seconds.add(Sample.of(moved.seconds()));
            done.add(moved);
            for (String guest : checks.verify()) {
                verifyAlive(guest, leg);
            }
            progress.info(String.format("%s: %.2f s%s", leg.describe(), moved.seconds(),
                    downtime.isEmpty() ? "" : String.format(", downtime %.0f ms", downtime.get(downtime.size() - 1).value())));
            leg = leg.back();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("source", route.sourceUri());
        attributes.put("destination", route.destinationUri());
        attributes.put("roundTrips", Integer.toString(roundTrips));
        attributes.put("verified", String.join(" ", checks.verify()));
        if (checks.probe() != null) {
            attributes.put("downtimeProbe", "SSH line from " + checks.probe() + " every " + DowntimeProbe.PERIOD.toMillis()
                    + " ms, stamped on arrival by the engine");
        }
        Map<String, String> variant = Map.of("storage", route.storage().variant());
        List<Measurement> measurements = new ArrayList<>();
        measurements.add(new Measurement(BENCHMARK, "seconds", Level.L1, route.guest(), variant, "s", Better.LOWER,
                seconds, attributes));
        if (!downtime.isEmpty()) {
            measurements.add(new Measurement(BENCHMARK, "downtime", Level.L1, route.guest(), variant, "ms",
                    Better.LOWER, downtime, attributes));
        }
        // QEMU's own figures, kept when the destination kept them for every leg
        for (Measurement qemu : List.of(
                fromQemu("qemu-downtime", "ms", done, LiveMigration.Leg::qemuDowntimeMillis, attributes),
                fromQemu("memory-rounds", "rounds", done, LiveMigration.Leg::memoryRounds, attributes),
                fromQemu("memory-sent", "MiB", done, l -> scaled(l.memorySentBytes(), 1 << 20), attributes))) {
            if (qemu.samples().size() == legs) {
                measurements.add(qemu);
            }
        }
        return measurements;
    }

    /** One of QEMU's figures of each leg (the legs where the destination kept none have no sample). */
    private static Measurement fromQemu(String metric, String unit, List<LiveMigration.Leg> legs,
            Function<LiveMigration.Leg, OptionalDouble> figure, Map<String, String> attributes) {
        List<Sample> samples = new ArrayList<>();
        for (LiveMigration.Leg leg : legs) {
            figure.apply(leg).ifPresent(value -> samples.add(Sample.of(value)));
        }
        MigrationRoute route = legs.get(0).route();
        return new Measurement(BENCHMARK, metric, Level.L1, route.guest(), Map.of("storage", route.storage().variant()),
                unit, Better.LOWER, samples, attributes);
    }

    private static OptionalDouble scaled(OptionalDouble value, double divisor) {
        return value.isPresent() ? OptionalDouble.of(value.getAsDouble() / divisor) : value;
    }

    /** Why a guest whose probe fell silent does not answer a new session either; empty when it does. */
    private Optional<String> freshLoginFails(String guest) throws InterruptedException {
        try {
            answer(guest);
            return Optional.empty();
        } catch (HostException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** A fresh SSH login and a command: the guest survived the move. */
    private void verifyAlive(String guest, MigrationRoute leg) throws HostException, InterruptedException {
        try {
            answer(guest);
        } catch (HostException e) {
            throwIfCrashed(leg, "after the migration of " + leg.describe(), e);
            throw new HostException(guest, "does not answer after the migration of " + leg.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * When the migrated guest stopped answering because its kernel crashed on the new L0, says so:
     * its serial console there shows the panic. A guest whose console shows none (or cannot be
     * read) falls through to the caller's "does not answer".
     */
    private void throwIfCrashed(MigrationRoute leg, String after, HostException lost) throws GuestCrashedException {
        Optional<ConsoleLog> console = migration.serialConsole(leg.destinationUri(), leg.guest());
        if (console.isEmpty()) {
            return;
        }
        Optional<KernelCrash> crash = KernelCrash.in(console.get().tail(CONSOLE_LINES));
        if (crash.isPresent()) {
            throw new GuestCrashedException(leg.guest(), "its kernel crashed on " + leg.destinationUri() + " " + after
                    + ": its serial console (" + console.get().where() + ") shows " + crash.get().describe()
                    + "; the guest is lost there (" + lost.getMessage() + ")", crash.get(), lost);
        }
    }

    /** A fresh SSH login and a command. */
    private void answer(String guest) throws HostException, InterruptedException {
        try (Host host = login.login(guest)) {
            host.run("uname -r", ANSWER_TIMEOUT).orThrow(host.name());
        }
    }
}
