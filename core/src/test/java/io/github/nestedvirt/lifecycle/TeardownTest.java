package io.github.nestedvirt.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.OwnerTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/** Teardown against libvirt's test driver and real files. */
class TeardownTest {

    @TempDir
    Path temp;

    /** Held open for the whole test: the test driver forgets everything when its last connection closes. */
    private Connect libvirt;
    private Path runDir;
    private TopologyRecord record;
    private final LocalHost local = new LocalHost();

    @BeforeEach
    void open() throws Exception {
        libvirt = TestDriver.open();
        runDir = temp.resolve("run");
        record = TopologyRecord.open(runDir, "r1");
    }

    @AfterEach
    void close() throws Exception {
        libvirt.close();
    }

    private Teardown teardown() {
        return new Teardown(Connect::new, name -> {
            if (name.equals("local")) {
                return local;
            }
            throw new HostException(name, "no such host in this test");
        });
    }

    /** A volume, a seed image, a running domain that uses them and a file: the usual L1. */
    private Resource[] provisionL1(String name) throws Exception {
        Resource volume = Resource.volume(TestDriver.URI, TestDriver.POOL, name + ".img", Level.L0);
        record.create(volume, () -> {
            TestDriver.createVolume(libvirt, name + ".img");
            return null;
        });
        Path seedPath = temp.resolve(name + "-seed.iso");
        Resource seed = Resource.seedImage("local", seedPath.toString(), Level.L0);
        record.create(seed, () -> Files.writeString(seedPath, "cidata"));
        Resource domain = Resource.domain(TestDriver.URI, name, Level.L1);
        record.create(domain, () -> {
            TestDriver.startDomain(libvirt, TestDomains.xml("test", name, OwnerTag.forThisProcess("r1", Duration.ofHours(1))));
            return null;
        });
        Path consolePath = temp.resolve(name + "-console.log");
        Resource console = Resource.file("local", consolePath.toString(), Level.L0);
        record.create(console, () -> Files.writeString(consolePath, "boot"));
        return new Resource[] {volume, seed, domain, console};
    }

    @Test
    void removesEverythingRecordedNewestFirst() throws Exception {
        String name = TestDomains.uniqueName("l1");
        Resource[] l1 = provisionL1(name);

        TeardownReport report = teardown().run(record);

        assertThat(report.complete()).as(report.toText()).isTrue();
        assertThat(report.removed()).extracting(Resource::describe)
                .containsExactly(l1[3].describe(), l1[2].describe(), l1[1].describe(), l1[0].describe());
        assertThat(TestDriver.domainNames(libvirt)).doesNotContain(name);
        assertThat(TestDriver.volumeNames(libvirt)).doesNotContain(name + ".img");
        assertThat(temp.resolve(name + "-seed.iso")).doesNotExist();
        assertThat(temp.resolve(name + "-console.log")).doesNotExist();
        assertThat(TopologyRecord.read(runDir).live()).isEmpty();
    }

    @Test
    void aSecondTeardownHasNothingLeftToDo() throws Exception {
        provisionL1(TestDomains.uniqueName("l1"));
        teardown().run(record);

        TeardownReport again = teardown().run(TopologyRecord.read(runDir));

        assertThat(again.steps()).isEmpty();
        assertThat(again.complete()).isTrue();
    }

    @Test
    void resourcesAlreadyGoneOrNeverCreatedCountAsRemoved() throws Exception {
        String name = TestDomains.uniqueName("l1");
        Resource[] l1 = provisionL1(name);
        // Someone removed the domain by hand; the engine died after planning a volume.
        org.libvirt.Domain domain = libvirt.domainLookupByName(name);
        domain.destroy();
        domain.undefine();
        domain.free();
        Resource neverCreated = Resource.volume(TestDriver.URI, TestDriver.POOL, name + "-l2.img", Level.L0);
        record.planned(neverCreated);

        TeardownReport report = teardown().run(record);

        assertThat(report.complete()).as(report.toText()).isTrue();
        assertThat(report.steps()).extracting(s -> s.resource().describe(), TeardownReport.Step::outcome)
                .containsExactly(
                        tuple(neverCreated.describe(), TeardownReport.Outcome.ALREADY_GONE),
                        tuple(l1[3].describe(), TeardownReport.Outcome.REMOVED),
                        tuple(l1[2].describe(), TeardownReport.Outcome.ALREADY_GONE),
                        tuple(l1[1].describe(), TeardownReport.Outcome.REMOVED),
                        tuple(l1[0].describe(), TeardownReport.Outcome.REMOVED));
    }

    /**
     * An L2's domain, disk and serial log recorded inside an L1 that cannot be reached any more
     * (its name does not resolve, so libvirt's real ssh transport fails at once): removing the L1
     * removes them, and the teardown says so instead of failing.
     */
    @Test
    void whatLivesInsideAnUnreachableL1IsRemovedWithIt() throws Exception {
        String name = TestDomains.uniqueName("l1");
        Resource[] l1 = provisionL1(name);
        Resource[] l2 = recordL2Inside(name);

        TeardownReport report = teardown().run(record);

        assertThat(report.complete()).as(report.toText()).isTrue();
        assertThat(report.steps()).extracting(s -> s.resource().describe(), TeardownReport.Step::outcome)
                .containsExactly(
                        tuple(l2[2].describe(), TeardownReport.Outcome.REMOVED_WITH_L1),
                        tuple(l2[1].describe(), TeardownReport.Outcome.REMOVED_WITH_L1),
                        tuple(l2[0].describe(), TeardownReport.Outcome.REMOVED_WITH_L1),
                        tuple(l1[3].describe(), TeardownReport.Outcome.REMOVED),
                        tuple(l1[2].describe(), TeardownReport.Outcome.REMOVED),
                        tuple(l1[1].describe(), TeardownReport.Outcome.REMOVED),
                        tuple(l1[0].describe(), TeardownReport.Outcome.REMOVED));
        assertThat(report.steps().get(0).detail()).contains("l1.invalid");
        assertThat(report.toText()).contains("removed with L1 " + name + ": domain " + name + "-l2");
        assertThat(TopologyRecord.read(runDir).live()).isEmpty();
    }

    /**
     * A migration records the moved L1 anew where it arrived, after the L2s it holds: the teardown
     * still turns to the L2s (through that L1) before it removes the L1.
     */
    @Test
    void anL1RecordedAgainAfterItsL2sByAMigrationIsRemovedAfterThem() throws Exception {
        String name = TestDomains.uniqueName("l1");
        Resource[] l1 = provisionL1(name);
        Resource[] l2 = recordL2Inside(name);
        Resource arrived = Resource.domain(TestDriver.URI + "?moved", name, Level.L1);
        record.planned(arrived);
        record.created(arrived);
        record.removed(l1[2]);

        List<Resource> order = Teardown.insideFirst(record.live());

        assertThat(order).extracting(Resource::describe).containsExactly(l2[2].describe(), l2[1].describe(),
                l2[0].describe(), arrived.describe(), l1[3].describe(), l1[1].describe(), l1[0].describe());
        TeardownReport report = teardown().run(record);
        assertThat(report.steps()).extracting(s -> s.resource().describe()).containsExactlyElementsOf(
                order.stream().map(Resource::describe).toList());
        assertThat(report.steps()).filteredOn(s -> s.resource().within() != null)
                .extracting(TeardownReport.Step::outcome).containsOnly(TeardownReport.Outcome.REMOVED_WITH_L1);
    }

    @Test
    void whatLivesInsideAnUnreachableL1StaysFailedWhileThatL1IsNotRemoved() throws Exception {
        String name = TestDomains.uniqueName("l1");
        Resource[] l2 = recordL2Inside(name); // its L1 is not in this record, so nothing removes it

        TeardownReport report = teardown().run(record);

        assertThat(report.complete()).isFalse();
        assertThat(report.failures()).extracting(s -> s.resource().describe())
                .containsExactly(l2[2].describe(), l2[1].describe(), l2[0].describe());
        assertThat(TopologyRecord.read(runDir).live()).hasSize(3);
    }

    /** A disk, a serial log and a domain of an L2 in L1 {@code l1}, recorded as created there. */
    private Resource[] recordL2Inside(String l1) throws Exception {
        String where = "qemu+ssh://root@l1.invalid/system?no_tty=1";
        Resource volume = Resource.volume(where, "default", l1 + "-l2.qcow2", Level.L1).inside(l1);
        Resource serial = Resource.file("root@l1.invalid", "/var/log/libvirt/qemu/" + l1 + "-l2-serial.log", Level.L1)
                .inside(l1);
        Resource domain = Resource.domain(where, l1 + "-l2", Level.L2).inside(l1);
        for (Resource resource : new Resource[] {volume, serial, domain}) {
            record.create(resource, () -> null);
        }
        return new Resource[] {volume, serial, domain};
    }

    @Test
    void failuresDoNotStopTheRestAndAreAllReported() throws Exception {
        String name = TestDomains.uniqueName("l1");
        Resource[] l1 = provisionL1(name);
        // Three real faults: a libvirt URI that cannot be opened, a path that rm refuses
        // (a directory), a host this teardown cannot reach.
        Resource unreachableLibvirt = Resource.domain("test:///" + temp.resolve("no-such-driver-file.xml"), "x", Level.L1);
        record.planned(unreachableLibvirt);
        Path directory = Files.createDirectory(temp.resolve(name + "-dir"));
        Resource refused = Resource.file("local", directory.toString(), Level.L0);
        record.planned(refused);
        Resource elsewhere = Resource.file("root@l1 via local", "/var/tmp/x", Level.L1);
        record.planned(elsewhere);

        TeardownReport report = teardown().run(record);

        assertThat(report.failures()).extracting(TeardownReport.Step::resource)
                .containsExactly(elsewhere, refused, unreachableLibvirt);
        assertThat(report.complete()).isFalse();
        assertThat(report.failures().get(0).detail()).contains("no such host in this test");
        assertThat(report.failures().get(1).detail()).contains("Is a directory");
        assertThat(report.failures().get(2).detail()).startsWith("libvirt: ");
        assertThat(report.removed()).extracting(Resource::describe)
                .containsExactly(l1[3].describe(), l1[2].describe(), l1[1].describe(), l1[0].describe());
        assertThat(TestDriver.domainNames(libvirt)).doesNotContain(name);
        assertThat(TopologyRecord.read(runDir).live()).containsExactlyInAnyOrder(elsewhere, refused, unreachableLibvirt);
        assertThat(report.toText()).contains("FAILED to remove file " + directory + " on local");
    }

    @Test
    void aPendingInterruptDoesNotCutTheTeardownShort() throws Exception {
        String name = TestDomains.uniqueName("l1");
        provisionL1(name);

        Thread.currentThread().interrupt();
        TeardownReport report;
        try {
            report = teardown().run(record);
        } finally {
            assertThat(Thread.interrupted()).as("interrupt restored").isTrue();
        }

        assertThat(report.complete()).as(report.toText()).isTrue();
        assertThat(temp.resolve(name + "-console.log")).doesNotExist();
    }

    @Test
    void aHostileFileNameIsRemovedAsItIsAndNothingElse() throws Exception {
        // Unquoted, the shell would also remove "a", and create "pwned" in the working directory.
        Path keep = Files.writeString(temp.resolve("a"), "x");
        Path hostile = Files.writeString(temp.resolve("a b; touch pwned $(touch pwned) `touch pwned` 'q"), "x");
        Resource file = Resource.file("local", hostile.toString(), Level.L0);
        record.create(file, () -> null);

        assertThat(teardown().run(record).removed()).containsExactly(file.in(Resource.State.CREATED));

        assertThat(hostile).doesNotExist();
        assertThat(keep).exists();
        assertThat(Path.of("pwned")).doesNotExist();
    }
}
