package io.github.nestedvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.provision.TestKernelTree;
import io.github.nestedvirt.result.Better;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.result.Measurement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class KernelBuildTest {

    private static final Path DEBIAN_SOURCE = Path.of("/usr/src/linux-source-6.1.tar.xz");

    @Test
    void kernelVersionIsTheLineThatLooksLikeOne() {
        assertThat(KernelBuild.parseKernelVersion(Fixtures.read("make-kernelversion.txt"))).isEqualTo("6.1.158");
        assertThatThrownBy(() -> KernelBuild.parseKernelVersion("make: *** No rule to make target\n"))
                .hasMessageContaining("no kernel version");
    }

    @Test
    void parametersNameTheBadField() {
        assertThatThrownBy(() -> params("relative.tar.xz", "/tmp/w", "tinyconfig"))
                .hasMessageStartingWith("source: must be an http(s) URL or an absolute path");
        assertThatThrownBy(() -> params("/src.tar.xz", "/", "tinyconfig")).hasMessageStartingWith("workDir:");
        assertThatThrownBy(() -> params("/src.tar.xz", "/tmp/w", "hugeconfig")).hasMessageStartingWith("config:");
        assertThat(params("/src.tar.xz", "/tmp/w", "/boot/config-6.1").isTree()).isFalse();
        assertThat(params("/usr/src/linux", "/tmp/w", "defconfig").isTree()).isTrue();
        assertThat(params("https://cdn.kernel.org/pub/linux/kernel/v6.x/linux-6.1.tar.xz", "/tmp/w", "defconfig")
                .isTree()).isFalse();
    }

    @Test
    void aTargetThatMakeWouldReadAsAnOptionIsRefused() {
        assertThatThrownBy(() -> KernelBuild.Parameters.fromPlan("/usr/src/linux", null, null, null, null, null, null,
                null, null, null, null, List.of("prepare", "-j999")))
                .hasMessageStartingWith("targets: '-j999' is not a make target or kernel directory");
        assertThat(KernelBuild.Parameters.defaults("/usr/src/linux", "/tmp/w").targets()).isEmpty();
    }

    @Test
    void onlyTheTargetsAskedForAreBuiltFromAReadOnlyUseOfTheTree() throws Exception {
        Path tree = Path.of("/usr/src/linux-source-6.1");
        TestKernelTree.ensure(tree);
        Path work = Files.createTempDirectory("kernel-build-prepare");
        try (TestLocalHost host = new TestLocalHost()) {
            KernelBuild build = new KernelBuild(KernelBuild.Parameters.fromPlan(tree.toString(), work.toString(),
                    "tinyconfig", null, null, null, null, 1, 1, null, null, List.of("prepare")));

            Measurement measurement = build.measure(host, Level.L0, Progress.NONE);

            assertThat(measurement.variant()).containsEntry("targets", "prepare").containsEntry("config", "tinyconfig");
            assertThat(measurement.values()).hasSize(1);
            assertThat(work.resolve("build/include/generated/asm-offsets.h")).isRegularFile();
            // prepare stops before any kernel object is compiled
            assertThat(work.resolve("build/vmlinux")).doesNotExist();
            assertThat(work.resolve("build/init/main.o")).doesNotExist();
            // the tree is only read: an out-of-tree build leaves no configuration in it
            assertThat(tree.resolve(".config")).doesNotExist();
            System.out.println("kernel build tinyconfig, prepare only: " + measurement.values()[0] + " s");
        } finally {
            deleteTree(work);
        }
    }

    private static KernelBuild.Parameters params(String source, String work, String config) {
        return new KernelBuild.Parameters(source, work, config, true, 0, false, 0, 1, 1, Duration.ofMinutes(1),
                Duration.ofMinutes(1));
    }

    @Test
    void aTreeWithoutMakefileIsNamed() throws Exception {
        Path notATree = Files.createTempDirectory("not-a-kernel");
        try (TestLocalHost host = new TestLocalHost()) {
            KernelBuild build = new KernelBuild(params(notATree.toString(), notATree + "/work", "tinyconfig"));
            assertThatThrownBy(() -> build.measure(host, Level.L0, Progress.NONE))
                    .hasMessageContaining("source: " + notATree + " is not a kernel source tree");
        } finally {
            Files.delete(notATree);
        }
    }

    @Test
    @Tag("slow")
    void buildsTinyconfigFromTheDebianSourceTarballOnce() throws Exception {
        assumeTrue(Files.isReadable(DEBIAN_SOURCE), "needs " + DEBIAN_SOURCE + " (Debian linux-source-6.1)");
        Path work = Files.createTempDirectory("kernel-build");
        try (TestLocalHost host = new TestLocalHost()) {
            KernelBuild build = new KernelBuild(new KernelBuild.Parameters(DEBIAN_SOURCE.toString(), work.toString(),
                    "tinyconfig", true, 0, false, 0, 1, 1, Duration.ofMinutes(20), Duration.ofMinutes(30)));

            Measurement measurement = build.measure(host, Level.L0, Progress.NONE);

            assertThat(measurement.benchmark()).isEqualTo("kernel-build");
            assertThat(measurement.better()).isEqualTo(Better.LOWER);
            assertThat(measurement.values()).hasSize(1);
            assertThat(measurement.values()[0]).isBetween(5.0, 3600.0);
            assertThat(measurement.attributes()).containsEntry("config", "tinyconfig")
                    .containsEntry("jobs", Integer.toString(Runtime.getRuntime().availableProcessors()));
            assertThat(measurement.attributes().get("kernelVersion")).startsWith("6.1.");
            assertThat(work.resolve("build/arch/x86/boot/bzImage")).isRegularFile();
            assertThat(Files.readString(work.resolve("build/.config"))).doesNotContain("CONFIG_DEBUG_INFO=y");
            System.out.println("kernel build tinyconfig: " + measurement.values()[0] + " s, "
                    + measurement.attributes());
        } finally {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
