package io.github.nestedvirt.plan;

import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.KvmUnitTests;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.bench.RunLoop;
import io.github.nestedvirt.bench.StartLine;
import io.github.nestedvirt.bench.Together;
import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.HostFactsCollector;
import io.github.nestedvirt.facts.KvmProbe;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.kvm.KvmModuleReload;
import io.github.nestedvirt.kvm.ModuleSwitch;
import io.github.nestedvirt.kvm.RunningGuests;
import io.github.nestedvirt.kvmstat.KvmStatRecorder;
import io.github.nestedvirt.host.SshConnections;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.Provisioner;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.ResultStore;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.RunId;
import io.github.nestedvirt.stability.StabilityRun;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Executes a plan: provisions the guests of its topology (if it has one), connects its hosts,
 * records their facts as the run's fingerprint, runs every benchmark in order, stores the run and
 * tears the guests down, whatever happened in between. The run is written before the first benchmark and again
 * after each one, so an interrupted or crashed run keeps everything it measured.
 */
public final class PlanRunner {

    private final ResultStore store;
    private final Progress progress;
    private final Function<Host, ModuleSwitch> switches;
    private final Provisioner.Settings provisioning;

    public PlanRunner(Path resultsRoot, Progress progress) {
        this(resultsRoot, progress, KvmModuleReload::new, Provisioner.Settings.defaults());
    }

    /**
     * @param switches how kvm module parameters are switched on a host: {@link KvmModuleReload} for real
     * @param provisioning waits and lifetime of the guests of the plan's topology
     */
    public PlanRunner(Path resultsRoot, Progress progress, Function<Host, ModuleSwitch> switches,
            Provisioner.Settings provisioning) {
        this.store = new ResultStore(resultsRoot);
        this.progress = progress;
        this.switches = switches;
        this.provisioning = provisioning;
    }

    /** What a run collects, saved after every step. */
    private final class Record {
        final String id = RunId.next(Instant.now());
        final Instant start = Instant.now();
        final Plan plan;
        final List<Measurement> measurements = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final List<HostFacts> fingerprint = new ArrayList<>();
        Path directory;

        Record(Plan plan) {
            this.plan = plan;
        }

        Run save(Instant end) throws IOException {
            Run run = new Run(Run.SCHEMA_VERSION, id, start, end, plan.name(), fingerprint, measurements, failures);
            directory = store.save(run);
            return run;
        }
    }

    /**
     * Runs the plan. A benchmark that fails is recorded in the run's failures and the next one runs;
     * a host that cannot be reached stops the run before any benchmark starts. With a {@code matrix},
     * every cell runs the whole plan: kvm_intel switched on L0 (and in each L1 for the MMU modes),
     * guests provisioned afresh, benchmarks, teardown; L0's values are restored at the end, also after a
     * failure or an interruption.
     *
     * @throws HostException when a host of the plan cannot be reached or examined, or refuses the matrix
     */
    public RunOutcome run(Plan plan) throws IOException, HostException, InterruptedException, PlanException {
        Topology topology = plan.topology() == null ? null : topologyOf(plan);
        KvmIntelSwitcher switcher = null;
        Hosts l0Access = null;
        if (plan.matrix() != null) {
            l0Access = new Hosts(plan.hosts());
            String l0 = l0Of(plan);
            switcher = new KvmIntelSwitcher(l0Access.get(l0), switches, plan.matrix());
            progress.info("Checking kvm_intel on " + l0 + " for the matrix " + plan.matrix().cells());
            try {
                switcher.check(); // before anything is created: a host without kvm_intel is refused here
            } catch (HostException | RuntimeException e) {
                l0Access.close();
                throw e;
            }
        }
        Record record = new Record(plan);
        // written first: the run directory holds the run's topology record from the start
        record.save(null);
        List<PlanMatrix.Cell> cells = plan.matrix() == null ? List.of(NO_CELL) : plan.matrix().cells();
        boolean interrupted = false;
        try {
            for (int c = 0; c < cells.size() && !interrupted; c++) {
                PlanMatrix.Cell cell = cells.get(c);
                Map<String, String> l0InForce = Map.of();
                if (switcher != null) {
                    progress.info("Matrix cell " + (c + 1) + " of " + cells.size() + ": " + cell);
                    try {
                        l0InForce = switcher.switchTo(cell, runningOnL0(plan, topology, record.id, l0Access));
                    } catch (HostException | RuntimeException e) {
                        record.failures.add("matrix cell " + cell + ": switching kvm_intel on L0: " + e.getMessage());
                        throw e;
                    }
                }
                interrupted = runCell(record, topology, cell, l0InForce);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            record.failures.add("interrupted");
        } catch (HostException | RuntimeException e) {
            record.save(Instant.now());
            throw e;
        } finally {
            if (switcher != null) {
                restoring("kvm_intel on L0", record, switcher::restore);
                l0Access.close();
            }
        }
        Run finished = record.save(Instant.now());
        return new RunOutcome(finished, record.directory, interrupted);
    }

    /** The cell of a plan without a matrix: nothing switched, nothing added to the variant. */
    private static final PlanMatrix.Cell NO_CELL = new PlanMatrix.Cell(null, null);

    /** Clean-up that must run even after an interruption (a SIGTERM). */
    @FunctionalInterface
    private interface Restore {
        void run() throws HostException, InterruptedException;
    }

    /**
     * Runs {@code restore} with the thread's interrupt set aside and put back afterwards, so that a
     * switched kvm module is put back also when the run was interrupted; a failure is recorded.
     */
    private void restoring(String what, Record record, Restore restore) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            progress.info("Restoring " + what);
            restore.run();
        } catch (HostException | InterruptedException | RuntimeException e) {
            record.failures.add("restoring " + what + ": " + e.getMessage());
            record.save(null);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One pass over the plan: provision (switching kvm_intel in each L1 guest before its L2s exist),
     * switch the other L1 hosts, measure, restore the L1s, tear down. Returns whether it was interrupted.
     */
    private boolean runCell(Record record, Topology topology, PlanMatrix.Cell cell, Map<String, String> l0InForce)
            throws IOException, HostException, InterruptedException {
        Plan plan = record.plan;
        Lifecycle lifecycle = topology == null ? null : Lifecycle.open(record.directory);
        boolean force = plan.matrix() != null && plan.matrix().force();
        Map<String, String> l1Guests = new LinkedHashMap<>();
        plan.hosts().forEach((id, spec) -> {
            if (spec.level() == Level.L1 && spec.guest() != null) {
                l1Guests.putIfAbsent(spec.guest(), id);
            }
        });
        KvmIntelSwitcher.DuringProvisioning guestL1s = new KvmIntelSwitcher.DuringProvisioning(l1Guests, switches,
                cell, force, progress);
        try {
            ProvisionedTopology provisioned = null;
            if (lifecycle != null) {
                progress.info("Provisioning the guests of " + plan.topology());
                try {
                    provisioned = new Provisioner(provisioning).provision(topology, lifecycle, progress, guestL1s);
                } catch (HostException | RuntimeException e) {
                    record.failures.add("provisioning " + plan.topology() + (cell == NO_CELL ? "" : " for " + cell)
                            + ": " + e.getMessage());
                    record.save(Instant.now());
                    throw e;
                }
            }
            try (Hosts hosts = new Hosts(plan.hosts(), provisioned)) {
                if (record.fingerprint.isEmpty()) {
                    for (String host : usedHosts(plan)) {
                        progress.info("Examining " + host + " (" + hosts.level(host) + ", " + hosts.get(host).name() + ")");
                        record.fingerprint.add(HostFactsCollector.collectAndProbe(hosts.get(host), hosts.level(host),
                                KvmProbe.DEFAULT_TIMEOUT));
                    }
                }
                record.save(null);
                Map<String, Host> l1s = new LinkedHashMap<>();
                if (!cell.l1Parameters().isEmpty()) {
                    plan.hosts().forEach((id, spec) -> {
                        if (spec.level() == Level.L1 && !(lifecycle != null && guestL1s.hostIds().contains(id))) {
                            l1s.put(id, hosts.get(id));
                        }
                    });
                }
                List<KvmIntelSwitcher.Switched> switchedL1s = KvmIntelSwitcher.switchL1s(l1s, switches, cell, force);
                try {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    if (!l0InForce.isEmpty()) {
                        attributes.put("kvm_intel." + Level.L0, KvmIntelSwitcher.text(l0InForce));
                    }
                    for (KvmIntelSwitcher.Switched l1 : guestL1s.switched()) {
                        attributes.put("kvm_intel." + l1.host(), KvmIntelSwitcher.text(l1.inForce()));
                    }
                    switchedL1s.forEach(l1 -> attributes.put("kvm_intel." + l1.host(), KvmIntelSwitcher.text(l1.inForce())));
                    return runBenchmarks(record, hosts, cell, attributes);
                } finally {
                    if (!switchedL1s.isEmpty()) {
                        restoring("kvm_intel on L1", record, () -> KvmIntelSwitcher.restoreAll(switchedL1s));
                    }
                }
            }
        } finally {
            try {
                if (!guestL1s.switched().isEmpty()) {
                    // before the teardown, which stops the L1s
                    restoring("kvm_intel in the L1 guests", record, guestL1s::restore);
                }
            } finally {
                if (lifecycle != null) {
                    progress.info("Tearing down the guests of " + plan.topology());
                    lifecycle.close();
                }
            }
        }
    }

    /** Every benchmark of the plan in order, each with kvm_stat captured on the hypervisors below it. */
    private boolean runBenchmarks(Record record, Hosts hosts, PlanMatrix.Cell cell, Map<String, String> attributes)
            throws IOException {
        Plan plan = record.plan;
        for (int i = 0; i < plan.benchmarks().size(); i++) {
            BenchmarkSpec benchmark = plan.benchmarks().get(i);
            String what = "benchmarks[" + i + "] " + describe(benchmark) + (cell == NO_CELL ? "" : " (" + cell + ")");
            progress.info("Running " + what);
            boolean interrupted = false;
            List<KvmStatRecorder> recorders = new ArrayList<>();
            List<HypervisorExits> exits = new ArrayList<>();
            try {
                for (String hypervisor : hypervisorsBelow(plan, benchmark, exits)) {
                    recorders.add(KvmStatRecorder.start(hosts.get(hypervisor), hosts.level(hypervisor), plan.kvmStat()));
                }
                List<Measurement> taken = execute(benchmark, hosts, record.directory, cell);
                recorders.forEach(recorder -> exits.add(recorder.stop()));
                taken.forEach(m -> record.measurements.add(inCell(m, cell, attributes, exits)));
                // a benchmark that keeps what it saw when interrupted returns it with the flag set
                if (Thread.interrupted()) {
                    interrupted = true;
                    record.failures.add(what + ": interrupted");
                }
            } catch (InterruptedException e) {
                interrupted = true;
                record.failures.add(what + ": interrupted");
            } catch (HostException | RuntimeException e) {
                record.failures.add(what + ": " + e.getMessage());
                progress.info("Failed: " + what + ": " + e.getMessage());
            } finally {
                recorders.forEach(KvmStatRecorder::close);
            }
            record.save(null);
            if (interrupted) {
                return true;
            }
        }
        return false;
    }

    private static Measurement inCell(Measurement measurement, PlanMatrix.Cell cell, Map<String, String> attributes,
            List<HypervisorExits> exits) {
        Map<String, String> variant = new LinkedHashMap<>(measurement.variant());
        variant.putAll(cell.variant());
        Map<String, String> all = new LinkedHashMap<>(measurement.attributes());
        all.putAll(attributes);
        return new Measurement(measurement.benchmark(), measurement.metric(), measurement.level(), measurement.host(),
                variant, measurement.unit(), measurement.better(), measurement.samples(), all, exits);
    }

    /**
     * The plan hosts that are the hypervisors below the level a benchmark measures: for each lower level,
     * the host of that level the measured host is reached through ({@code ssh.via}), else the plan's only
     * host of that level. A level with no such host is recorded in {@code exits} as not captured.
     */
    static List<String> hypervisorsBelow(Plan plan, BenchmarkSpec benchmark, List<HypervisorExits> exits) {
        if (!plan.kvmStat().capture()) {
            return List.of();
        }
        // hosts run together may sit on different hypervisors: each is captured once
        Set<String> below = new LinkedHashSet<>();
        for (String measured : measuredHosts(benchmark)) {
            for (String hypervisor : hypervisorsBelow(plan, measured, exits)) {
                below.add(hypervisor);
            }
        }
        return List.copyOf(below);
    }

    private static List<String> hypervisorsBelow(Plan plan, String measured, List<HypervisorExits> exits) {
        List<String> below = new ArrayList<>();
        for (Level level = plan.hosts().get(measured).level().below(); level != null; level = level.below()) {
            String found = null;
            for (String hop = via(plan, measured); hop != null && found == null; hop = via(plan, hop)) {
                found = plan.hosts().get(hop).level() == level ? hop : null;
            }
            if (found == null) {
                Level wanted = level;
                List<String> atLevel = plan.hosts().entrySet().stream().filter(e -> e.getValue().level() == wanted)
                        .map(Map.Entry::getKey).toList();
                found = atLevel.size() == 1 ? atLevel.get(0) : null;
                if (found == null) {
                    addOnce(exits, HypervisorExits.unavailable(level, "", List.of((atLevel.isEmpty()
                            ? "the plan has no host at " + level : "the plan has several hosts at " + level + " ("
                            + String.join(", ", atLevel) + ") and " + measured + " is not reached through one")
                            + ": add it (or ssh.via) to capture kvm_stat there")));
                }
            }
            if (found != null) {
                below.add(0, found);
            }
        }
        return below;
    }

    private static void addOnce(List<HypervisorExits> exits, HypervisorExits unavailable) {
        if (!exits.contains(unavailable)) {
            exits.add(unavailable);
        }
    }

    private static String via(Plan plan, String host) {
        HostSpec spec = plan.hosts().get(host);
        return spec.ssh() == null ? null : spec.ssh().via();
    }

    /** The hosts whose level a benchmark measures; none for a stability run, which watches several levels. */
    private static List<String> measuredHosts(BenchmarkSpec benchmark) {
        if (benchmark instanceof NetworkSpec net) {
            return List.of(net.client());
        }
        if (benchmark instanceof TogetherSpec together) {
            return together.hosts();
        }
        String host = benchmark.hostReferences().get("host");
        return host == null ? List.of() : List.of(host);
    }

    /** The plan's L0 host: the matrix switches kvm_intel there. */
    private static String l0Of(Plan plan) throws PlanException {
        List<String> l0s = plan.hosts().entrySet().stream().filter(e -> e.getValue().level() == Level.L0)
                .map(Map.Entry::getKey).toList();
        if (l0s.size() != 1) {
            throw new PlanException(plan.name() + ": matrix: the plan needs exactly one host at level L0, where "
                    + "kvm_intel is switched; it has " + (l0s.isEmpty() ? "none" : String.join(", ", l0s)));
        }
        return l0s.get(0);
    }

    /**
     * What runs on L0 now: through libvirt with owner tags when the plan has a topology on this
     * machine (its guests are this run's), else what L0's system libvirt lists on the plan's L0 host
     * (a remote L0's is reached there).
     */
    private static RunningGuests runningOnL0(Plan plan, Topology topology, String run, Hosts l0Access)
            throws HostException, InterruptedException, PlanException {
        if (topology == null || !topology.l0().isLocal()) {
            return RunningGuests.listedByVirsh(l0Access.get(l0Of(plan)));
        }
        try (LibvirtSession libvirt = LibvirtSession.open(topology.l0().uri())) {
            return RunningGuests.of(libvirt, run);
        }
    }

    /** The plan's topology, with every {@code guest:} host checked against it before anything starts. */
    private static Topology topologyOf(Plan plan) throws PlanException {
        Topology topology = new TopologyReader().read(Path.of(plan.topology()));
        Set<String> guests = new LinkedHashSet<>();
        topology.l1().forEach(l1 -> {
            guests.add(l1.name());
            l1.l2().forEach(l2 -> guests.add(l2.name()));
        });
        for (var host : plan.hosts().entrySet()) {
            String guest = host.getValue().guest();
            if (guest != null && !guests.contains(guest)) {
                throw new PlanException(plan.name() + ": hosts." + host.getKey() + ".guest: no guest '" + guest
                        + "' in " + plan.topology() + "; its guests: " + String.join(", ", guests));
            }
        }
        return topology;
    }

    private List<Measurement> execute(BenchmarkSpec benchmark, Hosts hosts, Path runDirectory, PlanMatrix.Cell cell)
            throws HostException, InterruptedException {
        if (benchmark instanceof GuestfishSpec || benchmark instanceof IoScanSpec
                || benchmark instanceof KernelBuildSpec) {
            return measureOn(benchmark, hosts, StartLine.alone(), progress);
        }
        if (benchmark instanceof TogetherSpec together) {
            Map<String, Together.Task> tasks = new LinkedHashMap<>();
            together.each().forEach(each -> tasks.put(each.hostReferences().get("host"),
                    (startLine, own) -> measureOn(each, hosts, startLine, own)));
            return Together.run(tasks, progress);
        }
        if (benchmark instanceof KvmUnitTestsSpec kut) {
            KvmUnitTests.Outcome outcome = new KvmUnitTests(kut.parameters())
                    .run(hosts.get(kut.host()), hosts.level(kut.host()), progress);
            // next to result.json, for Jenkins' junit step
            StringBuilder name = new StringBuilder("kvm-unit-tests-").append(kut.host()).append('-')
                    .append(kut.parameters().groupsLabel());
            cell.variant().values().forEach(value -> name.append('-').append(value));
            Path junit = runDirectory.resolve("junit").resolve(name + ".xml");
            try {
                java.nio.file.Files.createDirectories(junit.getParent());
                outcome.writeJUnit("kvm-unit-tests." + kut.host(), junit);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("writing " + junit + ": " + e.getMessage(), e);
            }
            progress.info("kvm-unit-tests: JUnit XML in " + junit);
            return outcome.measurements();
        }
        if (benchmark instanceof StabilitySpec stability) {
            // one SSH pool per watched host: a dead guest's reconnect must not delay the others' probes
            List<SshConnections> pools = new ArrayList<>();
            try {
                List<StabilityRun.Guest> guests = new ArrayList<>();
                for (String host : stability.hosts()) {
                    SshConnections pool = new SshConnections();
                    pools.add(pool);
                    guests.add(new StabilityRun.Guest(host, hosts.level(host), hosts.isolated(host, pool)));
                }
                return new StabilityRun(stability.parameters()).run(guests, progress).measurements();
            } finally {
                pools.forEach(SshConnections::close);
            }
        }
        NetworkSpec net = (NetworkSpec) benchmark;
        return List.of(new NetworkThroughput(net.parameters())
                .measure(hosts.get(net.server()), hosts.level(net.server()), hosts.get(net.client()),
                        hosts.level(net.client()), progress));
    }

    /** A benchmark of one host that {@link RunLoop} repeats there, in step with the others of {@code startLine}. */
    private static List<Measurement> measureOn(BenchmarkSpec benchmark, Hosts hosts, StartLine startLine,
            Progress progress) throws HostException, InterruptedException {
        if (benchmark instanceof GuestfishSpec guestfish) {
            return List.of(new GuestfishLaunch(guestfish.parameters(), startLine)
                    .measure(hosts.get(guestfish.host()), hosts.level(guestfish.host()), progress));
        }
        if (benchmark instanceof IoScanSpec io) {
            return new IoScan(io.parameters(), startLine).measure(hosts.get(io.host()), hosts.level(io.host()), progress);
        }
        KernelBuildSpec kernel = (KernelBuildSpec) benchmark;
        return List.of(new KernelBuild(kernel.parameters(), startLine)
                .measure(hosts.get(kernel.host()), hosts.level(kernel.host()), progress));
    }

    /** The hosts benchmarks run on, in plan order; jump hosts that only carry traffic are not measured. */
    private static Set<String> usedHosts(Plan plan) {
        Set<String> used = new LinkedHashSet<>();
        plan.benchmarks().forEach(benchmark -> used.addAll(benchmark.hostReferences().values()));
        return used;
    }

    private static String describe(BenchmarkSpec benchmark) {
        if (benchmark instanceof TogetherSpec together) {
            return benchmark.type() + " together on " + String.join(", ", together.hosts());
        }
        return benchmark.type() + " on " + String.join(" -> ", benchmark.hostReferences().values());
    }
}
