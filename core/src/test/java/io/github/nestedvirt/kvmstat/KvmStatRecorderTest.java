package io.github.nestedvirt.kvmstat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.output.TestOutputs;
import io.github.nestedvirt.result.HypervisorExits;
import io.github.nestedvirt.result.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kvm_stat capture on this machine, for real: which source works here, the reasons of the ones that do
 * not, and that nothing started for a capture outlives it, also when the benchmark is cancelled. What
 * each test expects is read from the machine first ({@link ExitSourcesThere}: debugfs mounted or not,
 * kvm_stat installed or not, kvm loaded or not). Only the test named {@code Simulated} replaces kvm_stat
 * itself, by a script that replays our recorded kvm_stat log: a working kvm_stat needs a CPU with vmx or
 * svm, which our machines lack.
 */
class KvmStatRecorderTest {

    private static final List<Path> TRACEFS = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));
    private static final Path KVM_STAT_IN_KERNEL_SOURCE = Path.of("/usr/src/linux-source-6.1.tar.xz");

    private final LocalHost local = new LocalHost();

    @TempDir
    Path dir;

    @Test
    void capturesWithTheFirstSourceThatWorksHereAndRecordsWhyTheOthersDoNot() throws Exception {
        ExitSourcesThere expected = ExitSourcesThere.probe(local, KvmStatSettings.defaults().command());
        Set<String> instancesBefore = ourTraceInstances();
        HypervisorExits exits;
        try (KvmStatRecorder recorder = KvmStatRecorder.start(local, Level.L0, KvmStatSettings.defaults())) {
            local.run("sleep 1", Duration.ofSeconds(10));
            exits = recorder.stop();
        }

        assertThat(exits.level()).isEqualTo(Level.L0);
        assertThat(exits.host()).isEqualTo("local");
        assertThat(exits.source()).as("the first source that works here, after " + expected.notePrefixes())
                .isEqualTo(expected.source());
        assertNotesStartWith(exits, expected);
        if (expected.source() == null) {
            assertThat(exits.captured()).isFalse();
            assertThat(exits.summary()).startsWith("not captured: " + expected.notePrefixes().get(0));
        } else {
            assertThat(exits.seconds()).isBetween(1.0, 10.0);
            assertThat(exits.perSecond().values()).isNotEmpty().allSatisfy(rate -> assertThat(rate).isNotNegative());
        }
        switch (String.valueOf(expected.source())) {
            case "tracefs" -> assertThat(exits.perSecond()).containsKeys("kvm_exit", "kvm_nested_vmexit",
                    "kvm_nested_vmexit_inject");
            case "debugfs" -> assertThat(exits.perSecond()).containsKey("exits");
            default -> { }
        }
        assertThat(ourTraceInstances()).as("the private trace instance is removed").isEqualTo(instancesBefore);
    }

    @Test
    void theKernelsOwnKvmStatIsUsedWhereItWorksAndItsOwnWordsAreRecordedWhereItRefuses() throws Exception {
        assertThat(KVM_STAT_IN_KERNEL_SOURCE).as("linux-source-6.1 ships kvm_stat; scripts/install-deps.sh installs it")
                .exists();
        local.run("tar -xJf " + KVM_STAT_IN_KERNEL_SOURCE + " -C " + dir + " --strip-components=1 --wildcards "
                + "'*/tools/kvm/kvm_stat/kvm_stat'", Duration.ofMinutes(2)).orThrow("local");
        Path kvmStat = dir.resolve("tools/kvm/kvm_stat/kvm_stat");
        ExitSourcesThere expected = ExitSourcesThere.probe(local, kvmStat.toString());
        assertThat(expected.notePrefixes()).as("kvm_stat is installed here: it runs, or says why not")
                .noneMatch(note -> note.startsWith("kvm_stat: not installed"));

        HypervisorExits exits;
        try (KvmStatRecorder recorder = KvmStatRecorder.start(local, Level.L0,
                new KvmStatSettings(true, kvmStat.toString(), 1))) {
            exits = recorder.stop();
        }

        // the recorder's notes say why a source it was expected to use did not work
        assertThat(exits.source()).as("source; the recorder's notes: %s", exits.notes()).isEqualTo(expected.source());
        assertNotesStartWith(exits, expected);
        if (!"kvm_stat".equals(expected.source())) {
            assertThat(exits.notes().get(0)).as("the tool's exit status and its last words")
                    .matches("kvm_stat -1 failed with exit status [1-9][0-9]*: .+");
        }
    }

    @Test
    void simulatedKvmStatIsReadWithTheLogParserAndEndsWithTheCapture() throws Exception {
        Path log = Files.writeString(dir.resolve("log.txt"), String.join("\n",
                TestOutputs.read(KvmStatOutputTest.class, "log.txt").lines().limit(3).toList()) + "\n");
        Path pids = dir.resolve("pids");
        Path script = Files.writeString(dir.resolve("kvm_stat"), """
                #!/bin/sh
                echo $$ >> %s
                if [ "$1" = -1 ]; then echo 'kvm_exit  10  5'; exit 0; fi
                cat %s
                exec sleep 600
                """.formatted(pids, log));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        HypervisorExits exits;
        try (KvmStatRecorder recorder = KvmStatRecorder.start(local, Level.L1,
                new KvmStatSettings(true, script.toString(), 1))) {
            assertThat(recorder.source()).isEqualTo("kvm_stat");
            Thread.sleep(500);
            exits = recorder.stop();
        }

        assertThat(exits.source()).isEqualTo("kvm_stat");
        assertThat(exits.notes()).isEmpty();
        // rows 1 and 2 of the recording, one second each (-s 1): the mean of 360 and 361 nested exits
        assertThat(exits.perSecond()).containsEntry("kvm_nested_vmexit", 360.5)
                .containsEntry("kvm_nested_vmexit_inject", 126.5).containsEntry("kvm_exit(EPT_VIOLATION)", 1206.5);
        List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
        assertThat(started).hasSize(2);
        assertThat(ProcessHandle.of(started.get(1))).as("kvm_stat -l ends with the capture")
                .matches(handle -> handle.isEmpty() || !handle.get().isAlive());
    }

    @Test
    void aCancelledBenchmarkLeavesNoTraceReaderAndNoInstanceBehind() throws Exception {
        assumeTrue(ExitSourcesThere.tracefsHasKvmEvents(local),
                "needs tracefs with kvm events (kvm loaded; scripts/test.sh mounts tracefs as root)");
        Set<String> instancesBefore = ourTraceInstances();
        AtomicReference<String> source = new AtomicReference<>();
        AtomicReference<HypervisorExits> exits = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread benchmark = new Thread(() -> {
            try (KvmStatRecorder recorder = KvmStatRecorder.start(local, Level.L0, List.of(new TracefsEvents(local)))) {
                source.set(String.valueOf(recorder.source()));
                try {
                    local.run("sleep 60", Duration.ofMinutes(2));
                } catch (InterruptedException cancelled) {
                    Thread.currentThread().interrupt(); // as the plan runner keeps it, until the run is saved
                }
                exits.set(recorder.stop());
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        benchmark.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (source.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(source.get()).as("this machine's tracepoints are readable").isEqualTo("tracefs");
        Thread.sleep(500);
        assertThat(traceReaders()).as("the reader runs during the benchmark").isNotEmpty();

        benchmark.interrupt();
        benchmark.join(Duration.ofSeconds(30).toMillis());

        assertThat(benchmark.isAlive()).isFalse();
        assertThat(exits.get().source()).isEqualTo("tracefs");
        assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
        assertThat(traceReaders()).isEmpty();
        assertThat(ourTraceInstances()).isEqualTo(instancesBefore);
    }

    private static void assertNotesStartWith(HypervisorExits exits, ExitSourcesThere expected) {
        assertThat(exits.notes()).as("a note for each source that does not work here")
                .hasSizeGreaterThanOrEqualTo(expected.notePrefixes().size());
        for (int i = 0; i < expected.notePrefixes().size(); i++) {
            assertThat(exits.notes().get(i)).startsWith(expected.notePrefixes().get(i));
        }
    }

    /** Trace instances made by captures: {@code nvmx-...}, in whichever tracefs mount is there. */
    private static Set<String> ourTraceInstances() throws IOException {
        Set<String> ours = new HashSet<>();
        for (Path tracefs : TRACEFS) {
            if (Files.isDirectory(tracefs.resolve("instances"))) {
                try (Stream<Path> instances = Files.list(tracefs.resolve("instances"))) {
                    instances.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("nvmx-"))
                            .forEach(ours::add);
                }
            }
        }
        return ours;
    }

    /** Processes reading the trace pipe of a capture's instance. */
    private static List<Long> traceReaders() throws IOException {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().commandLine().orElse("").contains("/instances/nvmx-"))
                    .map(ProcessHandle::pid).toList();
        }
    }
}
