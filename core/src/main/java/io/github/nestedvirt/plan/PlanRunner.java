package io.github.nestedvirt.plan;

import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.HostFactsCollector;
import io.github.nestedvirt.facts.KvmProbe;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.SshConnections;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.provision.Provisioner;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Executes a plan: provisions the guests of its topology (if it has one), connects its hosts,
 * records their facts as the run's fingerprint, runs every benchmark in order, stores the run and
 * tears the guests down, whatever happened in between. The run is written before the first benchmark and again
 * after each one, so an interrupted or crashed run keeps everything it measured.
 */
public final class PlanRunner {

    private final ResultStore store;
    private final Progress progress;

    public PlanRunner(Path resultsRoot, Progress progress) {
        this.store = new ResultStore(resultsRoot);
        this.progress = progress;
    }

    /**
     * Runs the plan. A benchmark that fails is recorded in the run's failures and the next one runs;
     * a host that cannot be reached stops the run before any benchmark starts.
     *
     * @throws HostException when a host of the plan cannot be reached or examined
     */
    public RunOutcome run(Plan plan) throws IOException, HostException, InterruptedException, PlanException {
        Instant start = Instant.now();
        String id = RunId.next(start);
        Topology topology = plan.topology() == null ? null : topologyOf(plan);
        List<Measurement> measurements = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<HostFacts> fingerprint = new ArrayList<>();
        // written first: the run directory holds the run's topology record from the start
        Path directory = store.save(run(id, start, null, plan, fingerprint, measurements, failures));
        Lifecycle lifecycle = topology == null ? null : Lifecycle.open(directory);
        try {
            ProvisionedTopology provisioned = null;
            if (lifecycle != null) {
                progress.info("Provisioning the guests of " + plan.topology());
                try {
                    provisioned = new Provisioner(Provisioner.Settings.defaults()).provision(topology, lifecycle, progress);
                } catch (HostException | RuntimeException e) {
                    failures.add("provisioning " + plan.topology() + ": " + e.getMessage());
                    store.save(run(id, start, Instant.now(), plan, fingerprint, measurements, failures));
                    throw e;
                }
            }
            try (Hosts hosts = new Hosts(plan.hosts(), provisioned)) {
                for (String host : usedHosts(plan)) {
                    progress.info("Examining " + host + " (" + hosts.level(host) + ", " + hosts.get(host).name() + ")");
                    fingerprint.add(HostFactsCollector.collectAndProbe(hosts.get(host), hosts.level(host),
                            KvmProbe.DEFAULT_TIMEOUT));
                }
                store.save(run(id, start, null, plan, fingerprint, measurements, failures));
                boolean interrupted = false;
                for (int i = 0; i < plan.benchmarks().size() && !interrupted; i++) {
                    BenchmarkSpec benchmark = plan.benchmarks().get(i);
                    String what = "benchmarks[" + i + "] " + describe(benchmark);
                    progress.info("Running " + what);
                    try {
                        measurements.addAll(execute(benchmark, hosts));
                        // a benchmark that keeps what it saw when interrupted returns it with the flag set
                        if (Thread.interrupted()) {
                            interrupted = true;
                            failures.add(what + ": interrupted");
                        }
                    } catch (InterruptedException e) {
                        interrupted = true;
                        failures.add(what + ": interrupted");
                    } catch (HostException | RuntimeException e) {
                        failures.add(what + ": " + e.getMessage());
                        progress.info("Failed: " + what + ": " + e.getMessage());
                    }
                    store.save(run(id, start, null, plan, fingerprint, measurements, failures));
                }
                Run finished = run(id, start, Instant.now(), plan, fingerprint, measurements, failures);
                store.save(finished);
                return new RunOutcome(finished, directory, interrupted);
            }
        } finally {
            if (lifecycle != null) {
                progress.info("Tearing down the guests of " + plan.topology());
                lifecycle.close();
            }
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

    private List<Measurement> execute(BenchmarkSpec benchmark, Hosts hosts) throws HostException, InterruptedException {
        if (benchmark instanceof GuestfishSpec guestfish) {
            return List.of(new GuestfishLaunch(guestfish.parameters())
                    .measure(hosts.get(guestfish.host()), hosts.level(guestfish.host()), progress));
        }
        if (benchmark instanceof IoScanSpec io) {
            return new IoScan(io.parameters()).measure(hosts.get(io.host()), hosts.level(io.host()), progress);
        }
        if (benchmark instanceof KernelBuildSpec kernel) {
            return List.of(new KernelBuild(kernel.parameters())
                    .measure(hosts.get(kernel.host()), hosts.level(kernel.host()), progress));
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
                .measure(hosts.get(net.server()), hosts.get(net.client()), hosts.level(net.client()), progress));
    }

    /** The hosts benchmarks run on, in plan order; jump hosts that only carry traffic are not measured. */
    private static Set<String> usedHosts(Plan plan) {
        Set<String> used = new LinkedHashSet<>();
        plan.benchmarks().forEach(benchmark -> used.addAll(benchmark.hostReferences().values()));
        return used;
    }

    private static String describe(BenchmarkSpec benchmark) {
        return benchmark.type() + " on " + String.join(" -> ", benchmark.hostReferences().values());
    }

    private static Run run(String id, Instant start, Instant end, Plan plan, List<HostFacts> fingerprint,
            List<Measurement> measurements, List<String> failures) {
        return new Run(Run.SCHEMA_VERSION, id, start, end, plan.name(), fingerprint, measurements, failures);
    }
}
