package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.bench.GuestfishAccelerator;
import io.github.nestedvirt.bench.GuestfishLaunch;
import io.github.nestedvirt.bench.IoScan;
import io.github.nestedvirt.bench.KernelBuild;
import io.github.nestedvirt.bench.NetworkThroughput;
import io.github.nestedvirt.compare.Overheads;
import io.github.nestedvirt.compare.RatioRow;
import io.github.nestedvirt.compare.Significance;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.plan.PlanReader;
import io.github.nestedvirt.plan.PlanRunner;
import io.github.nestedvirt.plan.RunOutcome;
import io.github.nestedvirt.plan.SimulatedKvmIntel;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Run;
import io.github.nestedvirt.result.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code plans/tcg-nested-smoke.yaml} run for real through the {@link PlanRunner}: it provisions a
 * TCG L1 of {@link TestHypervisorImage} with a TCG L2 inside, runs I/O on L0, L1 and L2, iperf3
 * from L1 to L0 and from L2 to L1 and to L0, netperf stream and rr from L1 to L0, a kernel build (tinyconfig, {@code prepare}) in L1 and
 * guestfish launches on L0 and in L1, and tears both guests down. The plan is the committed file; only
 * its guest names (unique per test run), its topology (this test's boot files), its fixed guestfish
 * appliance (made on L0 in this test's directory, which the L1 reads at the same path) and a one-cell
 * MMU matrix ({@code shadow-on-ept}, with kvm_intel simulated: {@link SimulatedKvmIntel}; it shows
 * when the L1 is switched) are the test's own, and its kernel build is left out unless
 * {@code -Dnvmx.test.l1KernelBuild=true} (about 7 minutes; {@code scripts/test.sh}, hence CI, sets
 * it). The run
 * happens once for the class, since the L2 alone takes minutes to come up (once more in a new L1
 * when the L1 stops answering under its own KVM: {@link LostL1}); the tests then check what a user
 * would.
 */
@Tag("libvirt")
class NestedPlanRunTest {

    private static final Path PLAN = Path.of("../plans/tcg-nested-smoke.yaml");
    private static final Path KERNEL_TREE = Path.of("/usr/src/linux-source-6.1");
    private static final String PLAN_APPLIANCE = "/srv/nvmx/guestfs-appliance";
    /** The kernel build in the TCG L1 takes about 7 of the run's 11 minutes: on in scripts/test.sh (CI), off in a plain mvn run. */
    static final String KERNEL_BUILD_PROPERTY = "nvmx.test.l1KernelBuild";
    private static final boolean KERNEL_BUILD = Boolean.getBoolean(KERNEL_BUILD_PROPERTY);
    private static final String KERNEL_BUILD_LEFT_OUT = "the plan's kernel build in the TCG L1 (about 7 min) is "
            + "left out: run with -D" + KERNEL_BUILD_PROPERTY + "=true to include it";
    /** force: other users' guests may run on this machine's libvirt; the simulated reload stops none. */
    private static final String MATRIX = "matrix: {mmu: [shadow-on-ept], force: true}";
    /** The cell in a comparison's label, among the variant's keys in order. */
    private static final String CELL = ",mmu=shadow-on-ept";
    /** Of the run the tests check: a new one for a second run. */
    private static SimulatedKvmIntel kvmIntel;

    /** The L1 launches libguestfs' appliance (its default 1280 MiB) beside the L2. */
    private static final String L1_MEMORY = "2G";

    private static LibvirtSession session;
    private static String l1;
    private static String l2;
    private static Path dir;
    private static RunOutcome outcome;
    private static double runSeconds;

    @BeforeAll
    static void runThePlan() throws Exception {
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
        long start = System.nanoTime();
        if (KERNEL_BUILD) {
            TestKernelTree.ensure(KERNEL_TREE);
            System.out.printf("Kernel source tree %s ready in %.1f s%n", KERNEL_TREE, (System.nanoTime() - start) / 1e9);
        } else {
            System.out.println("Not run: " + KERNEL_BUILD_LEFT_OUT);
        }
        session = LibvirtSession.open(L1EndToEndTest.URI);
        if (!runInANewL1(true)) {
            runInANewL1(false);
        }
    }

    /**
     * Runs the plan in a new L1 and L2. When the L1 stops answering under its own KVM ({@link LostL1}:
     * QEMU's emulated SVM, seen in a CI run while the L2 was defined) and {@code mayTryAgain}, says so
     * with what L0 still saw of it, removes what is left and returns false for one more run.
     */
    private static boolean runInANewL1(boolean mayTryAgain) throws Exception {
        kvmIntel = new SimulatedKvmIntel();
        l1 = TestTopology.uniqueName();
        l2 = l1 + "-2";
        dir = TestTopology.guestDirectory("nvmx-test-nested-plan-");
        TestHypervisorImage image = TestHypervisorImage.get();
        // the plan next to its topology, as in plans/: the plan names it relative to its own directory
        Files.writeString(dir.resolve("topology-tcg-l2.yaml"), TestTopology.nestedYaml(l1, l2, image, "", dir, true, L1_MEMORY));
        Path plan = dir.resolve("tcg-nested-smoke.yaml");
        String planText = Files.readString(PLAN).replace("guest: nvmx-tcg-hv}", "guest: " + l1 + "}")
                .replace("guest: nvmx-tcg-l2}", "guest: " + l2 + "}");
        planText = planText.replace("\nhosts:\n", "\n" + MATRIX + "\nhosts:\n");
        if (!KERNEL_BUILD) {
            planText = without(planText, "{type: kernel,");
        }
        planText = planText.replace(PLAN_APPLIANCE, fixedAppliance(dir.resolve("guestfs-appliance")).toString());
        Files.writeString(plan, planText);

        long run = System.nanoTime();
        // each step with the time it started, for the durations in docs/performance.md
        LostL1 lost = new LostL1(l1, dir.resolve(l1 + "-serial.log"));
        // the waits of every test whose L2 runs under TCG inside a TCG L1
        PlanRunner runner = new PlanRunner(dir.resolve("results"), lost.timed(run), kvmIntel::on, TestTopology.SLOW_NESTED);
        Optional<RunOutcome> ran = lost.run(() -> runner.run(new PlanReader().read(plan)), mayTryAgain);
        if (ran.isEmpty()) {
            TestGuestImage.deleteTree(dir);
            return false;
        }
        outcome = ran.get();
        runSeconds = (System.nanoTime() - run) / 1e9;
        System.out.printf("nvmx run tcg-nested-smoke: %.1f s%n", runSeconds);
        outcome.run().measurements().forEach(m -> System.out.printf("  %s %s %s on %s: %s %s %s%n", m.benchmark(),
                m.metric(), m.level(), m.host(), m.samples().stream().map(NestedPlanRunTest::sampleText).toList(),
                m.unit(), m.attributes()));
        return true;
    }

    private static String without(String planText, String entryStart) {
        return planText.lines().filter(line -> !line.contains(entryStart))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    /** The plan's fixed appliance, made as its comment says; the L1's qemu reads it as another user. */
    private static Path fixedAppliance(Path appliance) throws Exception {
        long start = System.nanoTime();
        Path make = Path.of("/usr/sbin/libguestfs-make-fixed-appliance");
        assumeTrue(Files.isExecutable(make), make + " is missing: the plan's guestfish launches need libguestfs-tools"
                + " (scripts/install-deps.sh)");
        new LocalHost().run("LIBGUESTFS_BACKEND=direct LIBGUESTFS_BACKEND_SETTINGS=force_tcg "
                + Shell.command(make.toString(), appliance.toString()) + " && " + Shell.command("chmod", "-R", "a+rX",
                appliance.toString()), Duration.ofMinutes(10)).orThrow("local");
        System.out.printf("Fixed guestfish appliance made in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return appliance;
    }

    @AfterAll
    static void close() throws Exception {
        try {
            if (dir != null) {
                TestGuestImage.deleteTree(dir);
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    @Test
    void everyBenchmarkRanOnItsLevelWithItsSamples() {
        Run run = outcome.run();
        assertThat(run.failures()).isEmpty();
        assertThat(outcome.interrupted()).isFalse();
        assertThat(run.end()).isNotNull();
        // the fingerprint: each measured host, examined at its level
        assertThat(run.fingerprint()).hasSize(3);

        assertThat(measured(IoScan.BENCHMARK, "seconds")).extracting(Measurement::level)
                .containsExactly(Level.L0, Level.L1, Level.L2);
        for (Measurement io : measured(IoScan.BENCHMARK, "seconds")) {
            assertThat(io.variant()).containsEntry("paths", "/etc");
            assertThat(io.samples()).hasSize(3).filteredOn(Sample::warmup).hasSize(1);
            assertThat(Arrays.stream(io.values()).boxed().toList()).hasSize(2).allSatisfy(v -> assertThat(v).isPositive());
            assertThat(Long.parseLong(io.attributes().get("files"))).isPositive();
        }
        assertThat(measured(IoScan.BENCHMARK, "throughput")).hasSize(3);

        Measurement net = networkFrom(Level.L1, Level.L0, "iperf3");
        // the client ran in the L1, on libvirt's default network of L0
        assertThat(net.host()).startsWith("root@192.168.122.");
        assertThat(net.attributes()).containsEntry("serverAddress", "192.168.122.1");
        assertThat(Arrays.stream(net.values()).boxed().toList()).hasSize(2).allSatisfy(v -> assertThat(v).isPositive());

        assertThat(measured(KernelBuild.BENCHMARK, "seconds")).hasSize(KERNEL_BUILD ? 1 : 0);

        assertThat(measured(GuestfishLaunch.BENCHMARK, "seconds")).extracting(Measurement::level)
                .containsExactly(Level.L0, Level.L1);
    }

    @Test
    void guestfishLaunchedItsApplianceUnderTcgOnL0AndUnderKvmInTheL1() {
        List<Measurement> launches = measured(GuestfishLaunch.BENCHMARK, "seconds");
        // as the plan asks: 1 warm-up, then 2 launches on each level
        assertThat(launches).extracting(m -> m.values().length).containsExactly(2, 2);
        for (Measurement launch : launches) {
            assertThat(launch.samples()).filteredOn(Sample::warmup).hasSize(1);
            assertThat(Arrays.stream(launch.values()).boxed().toList()).allSatisfy(v -> assertThat(v).isPositive());
            assertThat(launch.variant()).containsEntry("backend", "direct").containsKey("appliance");
        }
        Measurement l0 = launches.get(0);
        Measurement inL1 = launches.get(1);
        assertThat(l0.host()).isEqualTo("local");
        assertThat(inL1.host()).startsWith("root@192.168.122.");
        // KVM does not work on this machine, so L0 forces TCG; the appliance's own command line says which ran
        assertThat(l0.variant()).containsEntry("backendSettings", "force_tcg");
        assertThat(l0.attributes()).containsEntry(GuestfishAccelerator.ATTRIBUTE, GuestfishAccelerator.TCG);
        // the L1's kvm_amd ran the appliance: a guest under KVM inside the L1
        assertThat(inL1.variant()).doesNotContainKey("backendSettings");
        assertThat(inL1.attributes()).containsEntry(GuestfishAccelerator.ATTRIBUTE, GuestfishAccelerator.KVM);
        // different settings are different variants: no L1/L0 row pairs a KVM launch with a forced TCG one
        assertThat(Overheads.of(outcome.run(), Significance.Test.WELCH_T)).extracting(RatioRow::label)
                .noneMatch(label -> label.startsWith(GuestfishLaunch.BENCHMARK + "/"));
        // a hung launch is no sample, but it is counted (and its end kept) where a user sees it
        assertThat(l0.attributes()).containsEntry(GuestfishLaunch.HUNG_LAUNCHES, "0");
        assertThat(Integer.parseInt(inL1.attributes().get(GuestfishLaunch.HUNG_LAUNCHES))).isBetween(0, 1);
        System.out.printf("guestfish launch: L0 (TCG) %s s, L1 (KVM in the L1) %s s, hung in the L1: %s %s%n",
                Arrays.toString(l0.values()), Arrays.toString(inL1.values()),
                inL1.attributes().get(GuestfishLaunch.HUNG_LAUNCHES), inL1.attributes().getOrDefault(GuestfishLaunch.LAST_HANG, ""));
    }

    @Test
    void iperf3RanFromTheL2ToItsL1AndThroughItsNatToL0() {
        assertThat(measured(NetworkThroughput.BENCHMARK, "throughput")).filteredOn(m -> m.level() == Level.L2)
                .hasSize(2);
        Measurement toL1 = networkFrom(Level.L2, Level.L1, "iperf3");
        Measurement toL0 = networkFrom(Level.L2, Level.L0, "iperf3");
        // the client ran in the L2, on the L1's own default network
        assertThat(toL1.host()).startsWith("root@192.168.124.");
        assertThat(toL1.attributes()).containsEntry("serverAddress", "192.168.124.1");
        assertThat(toL0.attributes()).containsEntry("serverAddress", "192.168.122.1");
        for (Measurement net : List.of(toL1, toL0)) {
            assertThat(net.unit()).isEqualTo("Mbit/s");
            assertThat(net.variant()).containsEntry("tool", "iperf3").containsEntry("test", "stream");
            // an L2 on a busy machine can move very little: positive, and no unit slip (< 100 Gbit/s)
            assertThat(Arrays.stream(net.values()).boxed().toList()).hasSize(2)
                    .allSatisfy(v -> assertThat(v).isPositive().isLessThan(100_000.0));
        }
    }

    @Test
    void netperfStreamAndRequestResponseRanFromTheL1ToNetserverOnL0() {
        Measurement stream = networkFrom(Level.L1, Level.L0, "netperf");
        assertThat(stream.variant()).containsEntry("test", "stream");
        assertThat(stream.unit()).isEqualTo("Mbit/s");
        assertThat(stream.attributes()).containsEntry("serverAddress", "192.168.122.1").containsEntry("unit", "10^6bits/s");
        assertThat(Arrays.stream(stream.values()).boxed().toList()).hasSize(2)
                .allSatisfy(v -> assertThat(v).isPositive().isLessThan(100_000.0));

        List<Measurement> rrs = measured(NetworkThroughput.BENCHMARK, "transactions");
        assertThat(rrs).hasSize(1);
        Measurement rr = rrs.get(0);
        assertThat(rr.level()).isEqualTo(Level.L1);
        assertThat(rr.host()).startsWith("root@192.168.122.");
        assertThat(rr.variant()).containsEntry("tool", "netperf").containsEntry("test", "rr").containsEntry("peer", "L0");
        assertThat(rr.unit()).isEqualTo("1/s");
        assertThat(rr.attributes()).containsEntry("unit", "Trans/s");
        // a round trip from an emulated L1 takes long, but one happens many times within the 3 s
        assertThat(Arrays.stream(rr.values()).boxed().toList()).hasSize(2).allSatisfy(v -> assertThat(v).isGreaterThan(1));
        assertThat(Double.parseDouble(rr.attributes().get("MEAN_LATENCY"))).as("microseconds").isPositive();
        System.out.printf("netperf L1 -> L0: TCP_STREAM %s Mbit/s, TCP_RR %s transactions/s (mean latency %s us)%n",
                Arrays.toString(stream.values()), Arrays.toString(rr.values()), rr.attributes().get("MEAN_LATENCY"));
    }

    @Test
    void theL2RanUnderKvmInTheL1WhoseKvmCountedItsExits() {
        Measurement l2 = measured(IoScan.BENCHMARK, "seconds").get(2);
        assertThat(l2.level()).isEqualTo(Level.L2);
        // the hypervisors below an L2 run: L0 (KVM unusable here, so nothing of the L1's work) and the L1
        assertThat(l2.kvmStat()).extracting(HypervisorExits::level).containsExactly(Level.L0, Level.L1);
        HypervisorExits l1Kvm = l2.kvmStat().get(1);
        // the test L1 mounts debugfs and has no kvm_stat: KVM's own counters, read before and after
        assertThat(l1Kvm.source()).as("L1 record: %s", l1Kvm).isEqualTo("debugfs");
        assertThat(l1Kvm.seconds()).isPositive();
        // the L2 runs under the L1's KVM: its scan makes the L1 exit (I/O, interrupts, halts)
        assertThat(l1Kvm.perSecond().get("exits")).as("L1 record: %s", l1Kvm).isPositive();
        System.out.println("kvm_stat of the L1 during the L2's I/O scan: " + l1Kvm);
    }

    @Test
    void theKernelBuildRanInTheL1() {
        assumeTrue(KERNEL_BUILD, KERNEL_BUILD_LEFT_OUT);
        Measurement kernel = single(KernelBuild.BENCHMARK);
        assertThat(kernel.level()).isEqualTo(Level.L1);
        assertThat(kernel.variant()).containsEntry("config", "tinyconfig").containsEntry("targets", "prepare");
        assertThat(kernel.attributes().get("kernelVersion")).startsWith("6.1.");
        assertThat(Arrays.stream(kernel.values()).boxed().toList()).hasSize(1).allSatisfy(v -> assertThat(v).isPositive());
    }

    @Test
    void ioOverheadsOfL1OverL0AndL2OverL1AreComputed() {
        List<RatioRow> rows = Overheads.of(outcome.run(), Significance.Test.WELCH_T);
        List<RatioRow> io = rows.stream().filter(r -> r.label().startsWith("io-scan/seconds ")).toList();
        assertThat(io).extracting(RatioRow::label).satisfiesExactly(
                label -> assertThat(label).startsWith("io-scan/seconds L1/L0 dropCaches=false" + CELL + ",paths=/etc,xdev=true (")
                        .endsWith(" over local)"),
                label -> assertThat(label).startsWith("io-scan/seconds L2/L1 dropCaches=false" + CELL + ",paths=/etc,xdev=true (")
                        .contains(" via "));
        io.forEach(row -> {
            assertThat(row.ratio().estimate()).isPositive();
            System.out.println(row.label() + ": " + row.ratio());
        });
    }

    @Test
    void simulatedKvmIntelTheL1WasSwitchedBeforeItsL2ExistedAndRestoredBeforeItWentAway() {
        // host 0 is L0, host 1 the L1, switched while no domain ran in it: its L2 came after
        assertThat(kvmIntel.log).extracting(line -> line.replaceFirst("^0: (apply \\S+) while running: .*", "0: $1"))
                .containsExactly("0: apply {ept=1}", "1: apply {ept=0} while running: [][]", "1: restore {ept=Y}",
                        "0: restore {ept=Y}");
        // restored while the L1 still answered (else the run would record the failure), then torn down
        assertThat(outcome.run().failures()).isEmpty();
        assertThat(kvmIntel.parameters(1)).containsEntry("ept", "Y");
        Measurement l2 = measured(IoScan.BENCHMARK, "seconds").get(2);
        assertThat(l2.level()).isEqualTo(Level.L2);
        assertThat(l2.variant()).containsEntry("mmu", "shadow-on-ept");
        assertThat(l2.attributes()).containsEntry("kvm_intel.L0", "ept=Y").containsEntry("kvm_intel.l1", "ept=N");
    }

    @Test
    void theTopologyIsTornDownAndNothingIsLeftOnL0() throws Exception {
        // four resources per guest and the network the run made in the L1
        assertThat(TopologyRecord.read(outcome.directory()).resources()).hasSize(9)
                .allSatisfy(r -> assertThat(r.state()).as(r.toString()).isEqualTo(Resource.State.REMOVED));
        assertThat(session.find(l1)).isEmpty();
        assertThat(L1EndToEndTest.volumes(session)).doesNotContain(l1 + ".qcow2");
        assertThat(dir.resolve(l1 + "-serial.log")).doesNotExist();
        assertThat(Path.of(Provisioner.LIBVIRT_QEMU_LOGS, l1 + ".log")).doesNotExist();
    }

    private static List<Measurement> measured(String benchmark, String metric) {
        return outcome.run().measurements().stream()
                .filter(m -> m.benchmark().equals(benchmark) && m.metric().equals(metric)).toList();
    }

    /** The throughput measurement of {@code tool} with its client at {@code client} and its server at {@code peer}. */
    private static Measurement networkFrom(Level client, Level peer, String tool) {
        List<Measurement> found = measured(NetworkThroughput.BENCHMARK, "throughput").stream()
                .filter(m -> m.level() == client && peer.name().equals(m.variant().get("peer"))
                        && tool.equals(m.variant().get("tool"))).toList();
        assertThat(found).as("%s %s -> %s", tool, client, peer).hasSize(1);
        return found.get(0);
    }

    private static Measurement single(String benchmark) {
        List<Measurement> found = outcome.run().measurements().stream()
                .filter(m -> m.benchmark().equals(benchmark)).toList();
        assertThat(found).as(benchmark).hasSize(1);
        return found.get(0);
    }

    private static String sampleText(Sample sample) {
        return String.format("%.2f%s", sample.value(), sample.warmup() ? " (warm-up)" : "");
    }
}
