package io.github.nestedvirt.steps;

import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.KvmUnitTests;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.facts.KvmParameters;
import io.github.nestedvirt.facts.Preflight;
import io.github.nestedvirt.facts.PreflightReport;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.kvm.KvmModuleReload;
import io.github.nestedvirt.kvm.RunningGuests;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Teardown;
import io.github.nestedvirt.lifecycle.TeardownReport;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.migration.L0Facts;
import io.github.nestedvirt.migration.LiveMigration;
import io.github.nestedvirt.migration.MigrationBenchmark;
import io.github.nestedvirt.migration.MigrationRefusedException;
import io.github.nestedvirt.migration.MigrationRoute;
import io.github.nestedvirt.plan.BenchmarkSpec;
import io.github.nestedvirt.plan.GuestfishSpec;
import io.github.nestedvirt.plan.HostSpec;
import io.github.nestedvirt.plan.Hosts;
import io.github.nestedvirt.plan.IoScanSpec;
import io.github.nestedvirt.plan.KernelBuildSpec;
import io.github.nestedvirt.plan.KvmUnitTestsSpec;
import io.github.nestedvirt.plan.NetworkSpec;
import io.github.nestedvirt.plan.Plan;
import io.github.nestedvirt.plan.PlanRunner;
import io.github.nestedvirt.plan.RunOutcome;
import io.github.nestedvirt.plan.SshSpec;
import io.github.nestedvirt.plan.StabilitySpec;
import io.github.nestedvirt.provision.LibvirtFailedException;
import io.github.nestedvirt.provision.ProvisionedGuest;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultJson;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import io.github.nestedvirt.result.RunText;
import io.github.nestedvirt.rundir.EngineLog;
import io.github.nestedvirt.rundir.RunDirectory;
import io.github.nestedvirt.stability.StabilityRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs one bound step in a run directory: preflight, provisioning (the guests stay up and are
 * recorded in this directory), teardown of a provisioned topology, or a benchmark on L0 (this
 * machine) or on a guest of a provisioned topology, reached over SSH as its {@code provisioned.json}
 * says. What it produced goes to {@code result.json}; benchmarks also keep their run under
 * {@code results/}.
 */
public final class StepRunner {

    /** The plan host id of this machine. */
    private static final String L0 = "l0";

    private final RunDirectory dir;
    private final EngineLog log;

    public StepRunner(RunDirectory dir, EngineLog log) {
        this.dir = dir;
        this.log = log;
    }

    public StepOutcome run(BoundStep step) throws Exception {
        return switch (step.step()) {
            case "nestedPreflight" -> preflight(step);
            case "nestedProvision", "nestedTopology" -> provision((ProvisionSpec) step.parameters());
            case "nestedTeardown" -> teardown(step.target());
            case "nestedMigrate" -> migrate(step);
            default -> benchmark(step);
        };
    }

    private StepOutcome preflight(BoundStep step) throws Exception {
        Map<String, HostSpec> hosts = hosts(step.target());
        String id = targetId(step.target(), hosts);
        try (Hosts live = new Hosts(hosts)) {
            PreflightReport report = Preflight.run(live.get(id), live.level(id),
                    ((PreflightParameters) step.parameters()).probeTimeout());
            log.info(report.toText());
            dir.writeResult(report.toJson().getBytes(StandardCharsets.UTF_8));
            return report.passed() ? StepOutcome.OK : StepOutcome.PREFLIGHT_FAILED;
        }
    }

    private StepOutcome provision(ProvisionSpec spec) throws Exception {
        Lifecycle lifecycle = Lifecycle.open(dir.path());
        try {
            ProvisionedTopology provisioned = new Provisioner(Provisioner.Settings.defaults().withLifetime(spec.expires()))
                    .provision(spec.topology(), lifecycle, log);
            if (!spec.l1KvmIntel().isEmpty()) {
                switchKvmIntel(provisioned, spec.l1KvmIntel());
            }
            lifecycle.handOver();
            for (ProvisionedGuest guest : provisioned.guests()) {
                log.info(guest.level() + " " + guest.name() + " is up at " + guest.address());
            }
            log.info("Guests left running; steps reach them with topology: " + dir.path()
                    + "; remove them with nestedTeardown or 'nvmx teardown " + dir.path() + "'");
            dir.writeResult(ResultJson.mapper().writeValueAsBytes(provisioned));
            return StepOutcome.OK;
        } catch (Exception | Error e) {
            log.info("Provisioning failed (" + e.getMessage() + "); removing what was created");
            TeardownReport report = lifecycle.tearDown();
            lifecycle.close();
            log.info(report.toText());
            if (e instanceof InterruptedException) {
                return StepOutcome.INTERRUPTED;
            }
            if (e instanceof HostException) {
                return StepOutcome.NOT_PROVISIONED; // its message is logged above
            }
            throw e;
        }
    }

    /**
     * Switches {@code kvm_intel} in every L1, e.g. {@code ept=0} for shadow-on-EPT. The L1s are fresh
     * and run no guest yet, so nothing is stopped by the reload; the old values are not restored,
     * since the L1s are thrown away at teardown.
     */
    private void switchKvmIntel(ProvisionedTopology provisioned, Map<String, String> parameters) throws Exception {
        try (Hosts live = new Hosts(guestHosts(provisioned))) {
            for (ProvisionedGuest guest : provisioned.guests()) {
                if (guest.level() == Level.L1) {
                    new KvmModuleReload(live.get(guest.name())).apply(KvmParameters.KVM_INTEL, parameters,
                            new RunningGuests(List.of(), List.of()), false);
                    log.info(guest.name() + ": kvm_intel now runs with " + parameters);
                }
            }
        }
    }

    private StepOutcome teardown(StepTarget target) throws Exception {
        TopologyRecord record = TopologyRecord.read(Path.of(target.topology()));
        TeardownReport report = Teardown.fromThisMachine().run(record);
        log.info(report.toText());
        dir.writeResult(ResultJson.mapper().writeValueAsBytes(report));
        return report.complete() ? StepOutcome.OK : StepOutcome.CLEANUP_INCOMPLETE;
    }

    private StepOutcome benchmark(BoundStep step) throws Exception {
        Map<String, HostSpec> hosts = hosts(step.target());
        String id = targetId(step.target(), hosts);
        Object parameters = step.parameters();
        BenchmarkSpec spec;
        if (parameters instanceof KernelBuild.Parameters kernel) {
            spec = new KernelBuildSpec(id, kernel);
        } else if (parameters instanceof GuestfishLaunch.Parameters guestfish) {
            spec = new GuestfishSpec(id, guestfish);
        } else if (parameters instanceof IoScan.Parameters io) {
            spec = new IoScanSpec(id, io);
        } else if (parameters instanceof NetworkThroughput.Parameters net) {
            spec = new NetworkSpec(L0, id, net); // the server on L0, the client on the measured level
        } else if (parameters instanceof KvmUnitTests.Parameters kut) {
            spec = new KvmUnitTestsSpec(id, kut);
        } else if (parameters instanceof StabilityRun.Parameters stability) {
            spec = new StabilitySpec(watched(step.target(), hosts), stability);
        } else {
            throw new IllegalStateException(step.step() + ": no engine operation for " + parameters);
        }
        Plan plan = new Plan(step.resultsId(), step.step() + " in " + dir.path(), null, hosts, List.of(spec), null, null);
        RunOutcome outcome = new PlanRunner(dir.path().resolve("results"), log).run(plan);
        dir.writeResult(ResultJson.write(outcome.run()));
        if (spec instanceof KvmUnitTestsSpec) {
            keepJUnit(outcome.run());
        }
        outcome.run().failures().forEach(failure -> log.info("Failed: " + failure));
        if (outcome.interrupted()) {
            return StepOutcome.INTERRUPTED;
        }
        return outcome.run().failures().isEmpty() ? StepOutcome.OK : StepOutcome.BENCHMARK_FAILED;
    }

    /**
     * The suite's JUnit XML where the caller finds it ({@link RunDirectory#junitFile()}): the step runs
     * the suite once, so its run holds at most one file; none when the suite could not run.
     */
    private void keepJUnit(Run run) throws IOException {
        Path junit = dir.path().resolve("results").resolve(run.id()).resolve("junit");
        if (!Files.isDirectory(junit)) {
            return;
        }
        try (Stream<Path> files = Files.list(junit)) {
            Optional<Path> file = files.filter(f -> f.toString().endsWith(".xml")).findFirst();
            if (file.isPresent()) {
                Files.copy(file.get(), dir.junitFile(), StandardCopyOption.REPLACE_EXISTING);
                log.info("JUnit XML of the suite in " + dir.junitFile());
            }
        }
    }

    /**
     * Live-migrates an L1 of the topology (with the L2s it runs) to another L0, measured; the
     * topology's record follows the guest, so that teardown finds it there.
     */
    private StepOutcome migrate(BoundStep step) throws Exception {
        MigrationBenchmark.Parameters parameters = (MigrationBenchmark.Parameters) step.parameters();
        Path topology = Path.of(step.target().topology());
        ProvisionedTopology guests = ProvisionedTopology.read(topology);
        String guest = migrated(step.target(), guests);
        TopologyRecord record = TopologyRecord.read(topology);
        MigrationRoute route = parameters.route(record, guest);
        if (!parameters.force()) {
            List<String> reasons;
            try {
                reasons = L0Facts.reasonsAgainst(route);
            } catch (LibvirtFailedException e) {
                log.info("Cannot ask the L0s' libvirt before migrating: " + e.getMessage());
                return StepOutcome.BENCHMARK_FAILED;
            }
            if (!reasons.isEmpty()) {
                log.info("Not supported between these L0s, nothing was migrated (force: true tries anyway):");
                reasons.forEach(reason -> log.info("  " + reason));
                return StepOutcome.NOT_SUPPORTED;
            }
        }
        Instant start = Instant.now();
        List<Measurement> measurements;
        try {
            measurements = new MigrationBenchmark(LiveMigration.withLibvirt(),
                    name -> SshHost.connect(guests.sshTarget(name)), log)
                    .run(route, parameters.roundTrips(), MigrationBenchmark.Checks.of(guests, guest), record);
        } catch (MigrationRefusedException e) {
            log.info(e.getMessage());
            return StepOutcome.NOT_SUPPORTED;
        } catch (LibvirtFailedException e) {
            log.info("Migration failed: " + e.getMessage() + "; the guest still runs where " + record.file()
                    + " records it");
            return StepOutcome.BENCHMARK_FAILED;
        }
        Run run = new Run(Run.SCHEMA_VERSION, RunId.next(start), start, Instant.now(), step.resultsId(), List.of(),
                measurements, List.of());
        new ResultStore(dir.path().resolve("results")).save(run);
        log.info(RunText.format(run));
        dir.writeResult(ResultJson.write(run));
        return StepOutcome.OK;
    }

    /** The guest a migration moves: the one named, or the topology's first L1. */
    private static String migrated(StepTarget target, ProvisionedTopology guests) {
        List<String> l1s = guests.guests().stream().filter(g -> g.level() == Level.L1).map(ProvisionedGuest::name)
                .toList();
        if (target.guest() == null) {
            if (l1s.isEmpty()) {
                throw new IllegalArgumentException("topology: no L1 guest to migrate in " + target.topology());
            }
            return l1s.get(0);
        }
        if (!l1s.contains(target.guest())) {
            throw new IllegalArgumentException("guest: no L1 named '" + target.guest() + "' in " + target.topology()
                    + " (a migration moves an L1 with its L2s); its L1s: " + String.join(", ", l1s));
        }
        return target.guest();
    }

    /** This machine as L0, and every guest of the topology (by name) as SSH hosts. */
    private static Map<String, HostSpec> hosts(StepTarget target) throws IOException {
        if (target.topology() == null) {
            Map<String, HostSpec> hosts = new LinkedHashMap<>();
            hosts.put(L0, HostSpec.local(Level.L0));
            return hosts;
        }
        return guestHosts(ProvisionedTopology.read(Path.of(target.topology())));
    }

    /**
     * L0 (this machine, or the remote L0 over SSH), and every provisioned guest (by name) as an SSH
     * host, an L2 through its L1, an L1 through a remote L0.
     */
    private static Map<String, HostSpec> guestHosts(ProvisionedTopology provisioned) {
        Map<String, HostSpec> hosts = new LinkedHashMap<>();
        ProvisionedGuest remoteL0 = provisioned.l0();
        hosts.put(L0, remoteL0 == null ? HostSpec.local(Level.L0) : sshHost(remoteL0, null));
        for (ProvisionedGuest guest : provisioned.guests()) {
            String via = guest.via() != null || remoteL0 == null || guest.level() != Level.L1 ? guest.via() : L0;
            hosts.put(guest.name(), sshHost(guest, via));
        }
        return hosts;
    }

    private static HostSpec sshHost(ProvisionedGuest guest, String via) {
        return new HostSpec(guest.level(), false, new SshSpec(guest.address(), guest.port(), guest.user(),
                guest.identity(), guest.passphraseEnv(), guest.knownHosts(),
                guest.hostKeyPolicy() == HostKeyPolicy.RECORD_NEW, via));
    }

    /** The plan host the step measures: its guest, the first guest of its level, or L0. */
    private static String targetId(StepTarget target, Map<String, HostSpec> hosts) {
        if (target.guest() != null) {
            if (!hosts.containsKey(target.guest()) || target.guest().equals(L0)) {
                throw new IllegalArgumentException("guest: no guest '" + target.guest() + "' in " + target.topology()
                        + "; its guests: " + String.join(", ", guestNames(hosts, null)));
            }
            HostSpec guest = hosts.get(target.guest());
            if (target.level() != null && guest.level() != target.level()) {
                throw new IllegalArgumentException("level: guest '" + target.guest() + "' is " + guest.level()
                        + ", not " + target.level() + "; leave 'level' out or name a guest of that level");
            }
            return target.guest();
        }
        Level level = target.levelOrDefault();
        if (level == Level.L0) {
            return L0;
        }
        List<String> ofLevel = guestNames(hosts, level);
        if (ofLevel.isEmpty()) {
            throw new IllegalArgumentException("level: the topology in " + target.topology() + " has no " + level
                    + " guest; its guests: " + String.join(", ", guestNames(hosts, null)));
        }
        return ofLevel.get(0);
    }

    /** The guests a stress step watches: those of its level, or all when no level is given. */
    private static List<String> watched(StepTarget target, Map<String, HostSpec> hosts) {
        List<String> guests = target.guest() != null ? List.of(target.guest()) : guestNames(hosts, target.level());
        if (guests.isEmpty()) {
            throw new IllegalArgumentException("topology: no " + (target.level() == null ? "" : target.level() + " ")
                    + "guest to watch in " + target.topology());
        }
        return guests;
    }

    private static List<String> guestNames(Map<String, HostSpec> hosts, Level level) {
        return hosts.entrySet().stream().filter(e -> !e.getKey().equals(L0))
                .filter(e -> level == null || e.getValue().level() == level).map(Map.Entry::getKey).toList();
    }
}
