package io.github.nestedvirt.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.libvirt.Connect;

/**
 * A real engine process ({@link KilledEngine}) killed at every stage of creating its resources,
 * then cleaned up from outside; what is left is counted. Files are real files on this machine;
 * domains are defined (not started) on the real system libvirtd when one runs.
 */
class EngineKilledTest {

    private static final String SYSTEM_LIBVIRT = "qemu:///system";
    private static final Path LIBVIRT_SOCKET = Path.of("/run/libvirt/libvirt-sock");

    @TempDir
    Path temp;

    /** The engine's console, for the assertion messages. */
    private final List<String> seen = new ArrayList<>();

    /** Starts the engine, lets it run up to {@code stopAt}, then sends it {@code signal}; returns its exit code. */
    private int runEngineUntil(String stopAt, boolean sigkill, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledEngine.class.getName()));
        command.addAll(args);
        Process engine = new ProcessBuilder(command).redirectError(temp.resolve("engine-stderr.txt").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = engine.getOutputStream()) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.equals(stopAt)) {
                    if (sigkill) {
                        engine.destroyForcibly();
                    } else {
                        engine.destroy();
                    }
                    break;
                }
                in.write('\n');
                in.flush();
            }
        }
        assertThat(engine.waitFor(60, TimeUnit.SECONDS)).as("engine ended").isTrue();
        assertThat(seen).as("engine output; stderr in " + temp.resolve("engine-stderr.txt")).contains(stopAt);
        return engine.exitValue();
    }

    private List<Path> files(int count) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(temp.resolve("guest-" + i + ".log"));
        }
        return files;
    }

    private static long existing(List<Path> files) {
        return files.stream().filter(Files::exists).count();
    }

    @ParameterizedTest(name = "SIGKILL at ''{0}''")
    @ValueSource(strings = {"planned 0", "made 0", "created 0", "planned 1", "made 1", "created 1"})
    void filesOfAnEngineKilledAtAnyStageAreAllRemovedByTeardown(String stage) throws Exception {
        Path runDir = temp.resolve("run");
        List<Path> files = files(2);
        List<String> args = new ArrayList<>(List.of(runDir.toString()));
        files.forEach(f -> args.add(f.toString()));

        int exit = runEngineUntil(stage, true, args);

        assertThat(exit).as("killed by SIGKILL").isEqualTo(128 + 9);
        int step = Integer.parseInt(stage.split(" ")[1]);
        long made = step + (stage.startsWith("planned") ? 0 : 1);
        assertThat(existing(files)).as("files the killed engine left").isEqualTo(made);

        TeardownReport report = Teardown.fromThisMachine().run(TopologyRecord.read(runDir));

        assertThat(report.complete()).as(report.toText()).isTrue();
        assertThat(existing(files)).as("files left after teardown").isZero();
        assertThat(TopologyRecord.read(runDir).live()).isEmpty();
    }

    @Test
    void sigtermTearsDownInsideTheEngineItself() throws Exception {
        Path runDir = temp.resolve("run");
        List<Path> files = files(2);
        List<String> args = new ArrayList<>(List.of(runDir.toString()));
        files.forEach(f -> args.add(f.toString()));

        int exit = runEngineUntil("created 1", false, args);

        assertThat(exit).as("ended by SIGTERM").isEqualTo(128 + 15);
        assertThat(existing(files)).as("files left after the engine's own teardown").isZero();
        assertThat(TopologyRecord.read(runDir).resources()).hasSize(2)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
    }

    @ParameterizedTest(name = "SIGKILL at ''{0}''")
    @ValueSource(strings = {"planned 1", "made 1", "created 1"})
    void domainsOfAnEngineKilledAtAnyStageAreReapedAndItsFilesTornDown(String stage) throws Exception {
        assumeTrue(Files.exists(LIBVIRT_SOCKET), "needs a running system libvirtd (" + LIBVIRT_SOCKET
                + " missing); start one as root: virtlogd -d; libvirtd -d");
        // The system libvirtd is shared: reap only this run, never another test's domains.
        String run = TestDomains.uniqueName("run");
        Path runDir = temp.resolve(run);
        Path file = temp.resolve("console.log");
        String domain = TestDomains.uniqueName("nvmx-killed");

        int exit = runEngineUntil(stage, true,
                List.of(runDir.toString(), file.toString(), "--domain", SYSTEM_LIBVIRT, domain));

        assertThat(exit).isEqualTo(128 + 9);
        LibvirtErrorOutput.silence();
        Connect libvirt = new Connect(SYSTEM_LIBVIRT);
        try {
            boolean defined = TestDriver.domainNames(libvirt).contains(domain);
            assertThat(defined).as("domain defined by the killed engine").isEqualTo(!stage.startsWith("planned"));

            List<Reaper.Verdict> reaped = Reaper.onThisMachine().reap(libvirt, false, run);
            TeardownReport report = Teardown.fromThisMachine().run(TopologyRecord.read(runDir));

            if (defined) {
                assertThat(reaped).filteredOn(v -> v.domain().equals(domain)).singleElement()
                        .satisfies(v -> assertThat(v.action()).isEqualTo(Reaper.Action.REMOVED))
                        .satisfies(v -> assertThat(v.reason()).contains("is gone"));
            }
            assertThat(report.complete()).as(report.toText()).isTrue();
            assertThat(TestDriver.domainNames(libvirt)).doesNotContain(domain);
            assertThat(file).doesNotExist();
        } finally {
            libvirt.close();
        }
    }
}
