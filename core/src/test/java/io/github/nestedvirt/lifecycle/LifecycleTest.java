package io.github.nestedvirt.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.OwnerTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/** The guarded lifecycle in process; the SIGTERM and SIGKILL cases are in {@link EngineKilledTest}. */
class LifecycleTest {

    @TempDir
    Path temp;

    @Test
    void endingTheBlockNormallyRemovesWhatWasCreated() throws Exception {
        Path file = temp.resolve("seed.iso");
        Path runDir = temp.resolve("run-1");
        try (Lifecycle life = Lifecycle.open(runDir)) {
            life.create(Resource.seedImage("local", file.toString(), Level.L0), () -> Files.writeString(file, "x"));
            assertThat(file).exists();
        }

        assertThat(file).doesNotExist();
        assertThat(TopologyRecord.read(runDir).run()).isEqualTo("run-1");
        assertThat(TopologyRecord.read(runDir).live()).isEmpty();
    }

    @Test
    void anErrorInsideTheBlockStillRemovesEverything() throws Exception {
        Path file = temp.resolve("console.log");
        assertThatThrownBy(() -> {
            try (Lifecycle life = Lifecycle.open(temp.resolve("run"))) {
                life.create(Resource.file("local", file.toString(), Level.L0), () -> Files.writeString(file, "x"));
                throw new IllegalStateException("L1 never booted");
            }
        }).hasMessage("L1 never booted");

        assertThat(file).doesNotExist();
    }

    @Test
    void nothingNewIsCreatedOnceTeardownHasBegun() throws Exception {
        Path file = temp.resolve("late");
        Lifecycle life = Lifecycle.open(temp.resolve("run"));
        life.close();

        assertThatThrownBy(() -> life.create(Resource.file("local", file.toString(), Level.L0),
                () -> Files.writeString(file, "x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is being torn down");
        assertThat(file).doesNotExist();
        life.close();
    }

    /**
     * What lives inside an L1 is removed through the route the provisioner registered (here the
     * test driver stands for the L1's libvirt, and this machine for its shell), not through the
     * recorded {@code qemu+ssh} URI; the connection behind the route is closed after teardown.
     */
    @Test
    void resourcesInsideAnL1AreRemovedThroughItsRouteWhichIsClosedAfterwards() throws Exception {
        String where = "qemu+ssh://root@l1.invalid/system?no_tty=1";
        Path log = temp.resolve("l2-serial.log");
        Connect l1Libvirt = TestDriver.open(); // holds the test driver's state for the whole test
        String l2 = TestDomains.uniqueName("l2");
        boolean[] closed = {false};
        LocalHost l1Shell = new LocalHost();
        try (Lifecycle life = Lifecycle.open(temp.resolve("run"))) {
            life.reachRemote(where, uri -> new Connect(TestDriver.URI), l1Shell, () -> closed[0] = true);
            life.create(Resource.file(l1Shell.name(), log.toString(), Level.L1).inside("l1"),
                    () -> Files.writeString(log, "boot"));
            life.create(Resource.domain(where, l2, Level.L2).inside("l1"), () -> {
                TestDriver.startDomain(l1Libvirt, TestDomains.xml("test", l2, OwnerTag.forThisProcess("run",
                        Duration.ofHours(1))));
                return null;
            });
            TeardownReport report = life.tearDown();

            assertThat(report.steps()).extracting(TeardownReport.Step::outcome)
                    .containsExactly(TeardownReport.Outcome.REMOVED, TeardownReport.Outcome.REMOVED);
            assertThat(closed[0]).isTrue();
        } finally {
            assertThat(TestDriver.domainNames(l1Libvirt)).doesNotContain(l2);
            l1Libvirt.close();
        }
        assertThat(log).doesNotExist();
    }

    @Test
    void nothingIsReachedInsideAnL1OnceTeardownHasBegun() throws Exception {
        Lifecycle life = Lifecycle.open(temp.resolve("run"));
        life.close();
        boolean[] closed = {false};

        assertThatThrownBy(() -> life.reachRemote("qemu+ssh://root@l1/system", uri -> new Connect(TestDriver.URI),
                new LocalHost(), () -> closed[0] = true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing is created inside");
        assertThat(closed[0]).as("the connection is closed at once").isTrue();
    }

    @Test
    void aTeardownThatLeavesSomethingFailsTheBlockWithTheList() throws Exception {
        Path directory = Files.createDirectory(temp.resolve("dir"));
        Lifecycle life = Lifecycle.open(temp.resolve("run"));
        life.create(Resource.file("local", directory.toString(), Level.L0), () -> null);

        assertThatThrownBy(life::close).isInstanceOf(IncompleteTeardownException.class)
                .hasMessageContaining("left 1 resource(s) behind")
                .hasMessageContaining("file " + directory + " on local");
    }

    @Test
    void handedOverResourcesOutliveTheBlockUntilATeardownOfTheRunDirectory() throws Exception {
        Path file = temp.resolve("serial.log");
        Path runDir = temp.resolve("run");
        try (Lifecycle life = Lifecycle.open(runDir)) {
            life.create(Resource.file("local", file.toString(), Level.L0), () -> Files.writeString(file, "x"));
            life.handOver();
            assertThatThrownBy(() -> life.create(Resource.file("local", temp.resolve("late").toString(), Level.L0),
                    () -> null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was handed over to a later teardown");
        }
        assertThat(file).exists();
        assertThat(TopologyRecord.read(runDir).live()).hasSize(1);

        assertThat(Teardown.fromThisMachine().run(TopologyRecord.read(runDir)).removed()).hasSize(1);
        assertThat(file).doesNotExist();
    }
}
