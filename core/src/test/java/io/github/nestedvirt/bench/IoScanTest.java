package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.OutputListener;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import io.github.nestedvirt.result.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IoScanTest {

    private static final int FILES = 30;

    private Path tree;
    private long bytes;

    @Test
    void sizesSkipTheTotalLinesOfEachWcBatch() {
        assertThat(IoScanOutput.parseSizes(Fixtures.read("wc-c-gnu-two-batches.txt")))
                .isEqualTo(new IoScanOutput.Sizes(5, 4096 + 10000 + 0 + 1234 + 512));
        assertThat(IoScanOutput.parseSizes(Fixtures.read("wc-c-single-file.txt")))
                .isEqualTo(new IoScanOutput.Sizes(1, 42));
        assertThatThrownBy(() -> IoScanOutput.parseSizes(Fixtures.read("wc-c-garbage.txt")))
                .hasMessageContaining("not a 'wc -c' line: 'garbage line'");
    }

    @Test
    void hashingCountsFilesAndUnreadableOnes() {
        assertThat(IoScanOutput.parseHashing(Fixtures.read("io-scan-run.txt")))
                .isEqualTo(new IoScanOutput.Hashing(1873, 3, 1));
        assertThat(HostTiming.parse(Fixtures.read("io-scan-run.txt")).seconds()).isCloseTo(2.25, within(1e-6));
        assertThatThrownBy(() -> IoScanOutput.parseHashing("NVMX_HASHED 3\n"))
                .hasMessageContaining("NVMX_DENIED");
    }

    @Test
    void parametersNameTheBadField() {
        assertThatThrownBy(() -> new IoScan.Parameters(List.of(), true, false, 0, 1, 1, Duration.ofMinutes(1)))
                .hasMessageStartingWith("paths:");
        assertThatThrownBy(() -> new IoScan.Parameters(List.of("-delete"), true, false, 0, 1, 1,
                Duration.ofMinutes(1))).hasMessageStartingWith("paths: must be absolute");
        assertThatThrownBy(() -> new IoScan.Parameters(List.of("/"), true, false, 0, 0, 1, Duration.ofMinutes(1)))
                .hasMessageStartingWith("runs: must be at least 1");
    }

    @BeforeEach
    void createTree() throws IOException {
        // world-readable so that the unprivileged run can walk it
        tree = Files.createTempDirectory("io-scan", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        bytes = 0;
        for (int i = 0; i < FILES; i++) {
            Path dir = Files.createDirectories(tree.resolve("d" + i % 4).resolve(i % 2 == 0 ? "even" : "odd it's"));
            byte[] content = new byte[i * 7919];
            for (int b = 0; b < content.length; b++) {
                content[b] = (byte) (b * 31 + i);
            }
            Files.write(dir.resolve("file " + i + ".bin"), content);
            bytes += content.length;
        }
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    @AfterEach
    void deleteTree() throws IOException {
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void hashesAKnownTreeAndCountsEveryFileAndByte() throws Exception {
        IoScan scan = new IoScan(new IoScan.Parameters(List.of(tree.toString()), true, false, 1, 3, 3,
                Duration.ofMinutes(5)));

        List<Measurement> measurements;
        try (TestLocalHost host = new TestLocalHost()) {
            measurements = scan.measure(host, Level.L0, Progress.NONE);
        }

        Measurement seconds = measurements.get(0);
        Measurement throughput = measurements.get(1);
        assertThat(seconds.metric()).isEqualTo("seconds");
        assertThat(seconds.better()).isEqualTo(Better.LOWER);
        assertThat(throughput.metric()).isEqualTo("throughput");
        assertThat(throughput.unit()).isEqualTo("MB/s");
        assertThat(throughput.better()).isEqualTo(Better.HIGHER);
        assertThat(seconds.samples()).hasSize(4);
        assertThat(seconds.attributes()).containsEntry("files", Integer.toString(FILES))
                .containsEntry("bytes", Long.toString(bytes))
                .containsEntry("permissionDenied", "0");
        for (int i = 0; i < seconds.samples().size(); i++) {
            double s = seconds.samples().get(i).value();
            assertThat(s).isPositive();
            assertThat(throughput.samples().get(i).value()).isCloseTo(bytes / 1e6 / s, within(1e-9));
        }
        System.out.println("io-scan " + bytes + " bytes: " + Summary.of(throughput) + " MB/s");
    }

    @Test
    void unreadableFilesAreCountedNotHashedAndTheirBytesLeftOut() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run the scan as user nobody, for whom a mode-000 file is unreadable");
        Path secret = tree.resolve("d0/even/file 0.bin");
        Files.write(secret, new byte[4321]);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        IoScan scan = new IoScan(new IoScan.Parameters(List.of(tree.toString()), false, false, 0, 1, 1,
                Duration.ofMinutes(5)));

        List<Measurement> measurements;
        try (TestLocalHost nobody = TestLocalHost.asNobody()) {
            measurements = scan.measure(nobody, Level.L0, Progress.NONE);
        }

        assertThat(measurements.get(0).attributes()).containsEntry("files", Integer.toString(FILES - 1))
                .containsEntry("bytes", Long.toString(bytes))
                .containsEntry("permissionDenied", "1")
                .containsEntry("otherErrors", "0");
    }

    @Test
    void droppingCachesWithoutRootIsAClearError() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run the scan as user nobody, who may not drop caches");
        IoScan scan = new IoScan(new IoScan.Parameters(List.of(tree.toString()), false, true, 0, 1, 1,
                Duration.ofMinutes(5)));

        try (TestLocalHost nobody = TestLocalHost.asNobody()) {
            assertThatThrownBy(() -> scan.measure(nobody, Level.L0, Progress.NONE))
                    .isInstanceOf(BenchmarkFailedException.class)
                    .hasMessageContaining("dropCaches: cannot write /proc/sys/vm/drop_caches");
        }
    }

    @Test
    void droppingCachesAsRootWorks() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to drop the page cache");
        IoScan scan = new IoScan(new IoScan.Parameters(List.of(tree.toString()), false, true, 0, 1, 1,
                Duration.ofMinutes(5)));

        try (TestLocalHost host = new TestLocalHost()) {
            assertThat(scan.measure(host, Level.L0, Progress.NONE).get(1).values()[0]).isPositive();
        }
    }

    @Test
    void aMissingPathIsNamed() throws Exception {
        IoScan scan = new IoScan(new IoScan.Parameters(List.of(tree + "/nope"), false, false, 0, 1, 1,
                Duration.ofMinutes(5)));

        try (TestLocalHost host = new TestLocalHost()) {
            assertThatThrownBy(() -> scan.measure(host, Level.L0, Progress.NONE))
                    .hasMessageContaining("paths: " + tree + "/nope is not a directory");
        }
    }

    @Test
    void aScanWhoseShellIsKilledSaysHowItEndedWithItsErrorOutput() throws Exception {
        IoScan scan = new IoScan(new IoScan.Parameters(List.of(tree.toString()), true, false, 0, 1, 1,
                Duration.ofMinutes(5)));

        try (TestLocalHost local = new TestLocalHost()) {
            // the hashing shell is really killed (as the OOM killer ends it) before it prints anything
            Host killing = new Host() {
                @Override
                public String name() {
                    return local.name();
                }

                @Override
                public CommandResult run(String command, Duration timeout, OutputListener listener)
                        throws HostException, InterruptedException {
                    String run = command.contains("sha256sum") ? "echo 'sha256sum: reading' >&2; kill -9 $$; " + command
                            : command;
                    return local.run(run, timeout, listener);
                }

                @Override
                public void upload(Path file, String remotePath) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void download(String remotePath, Path file) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                }
            };

            assertThatThrownBy(() -> scan.measure(killing, Level.L0, Progress.NONE))
                    .isInstanceOf(BenchmarkFailedException.class)
                    .hasMessageStartingWith(local.name() + ": io-scan ended without its timing line after ")
                    .hasMessageContaining("its shell exited with status 137")
                    .hasMessageEndingWith("sha256sum: reading");
        }
    }
}
