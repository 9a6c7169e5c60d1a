package io.github.nestedvirt.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.result.Level;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Facts collected for real from the machine the tests run on, compared with what the machine says itself. */
class HostFactsCollectorTest {

    @Test
    void localFactsMatchWhatTheMachineSays() throws Exception {
        try (LocalHost host = new LocalHost()) {
            HostFacts facts = HostFactsCollector.collect(host, Level.L0);

            assertThat(facts.host()).isEqualTo("local");
            assertThat(facts.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(facts.kernel()).isEqualTo(sh(host, "uname -r"));
            assertThat(facts.hostname()).isEqualTo(sh(host, "hostname"));
            assertThat(facts.memoryBytes()).isGreaterThan(64L * 1024 * 1024);
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
            assertThat(cpuinfo).contains(facts.cpuVendor(), facts.cpuModel());
            assertThat(facts.cpuFlags()).contains("fpu");
            boolean devKvm = Files.exists(Path.of("/dev/kvm"));
            assertThat(facts.kvm().state()).isEqualTo(devKvm ? KvmStatus.State.UNKNOWN : KvmStatus.State.ABSENT);
            // the vendor module this kernel has loaded, if any: kvm_intel, kvm_amd, or another (kvm_pvm, ...)
            List<String> vendorModules;
            try (Stream<Path> modules = Files.list(Path.of("/sys/module"))) {
                vendorModules = modules.map(m -> m.getFileName().toString()).filter(m -> m.startsWith("kvm_"))
                        .sorted().toList();
            }
            String expectedModule = vendorModules.contains("kvm_intel") ? "kvm_intel"
                    : vendorModules.contains("kvm_amd") ? "kvm_amd" : vendorModules.isEmpty() ? null : vendorModules.get(0);
            assertThat(facts.kvmModule()).as("kvm vendor modules here: %s", vendorModules).isEqualTo(expectedModule);
            if (Files.exists(Path.of("/sys/module/" + expectedModule + "/parameters/nested"))) {
                assertThat(facts.kvmParameters()).containsEntry("nested",
                        Files.readString(Path.of("/sys/module/" + expectedModule + "/parameters/nested")).strip());
            }
        }
    }

    @Test
    void localQemuAndLibvirtVersionsAreNumbers() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "needs /usr/bin/qemu-system-x86_64 (Debian package qemu-system-x86)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/libvirtd")),
                "needs /usr/sbin/libvirtd (Debian package libvirt-daemon-system)");
        try (LocalHost host = new LocalHost()) {
            HostFacts facts = HostFactsCollector.collect(host, Level.L0);

            assertThat(facts.qemuVersion()).matches("\\d+\\.\\d+(\\.\\d+)?");
            assertThat(sh(host, "qemu-system-x86_64 --version")).contains("version " + facts.qemuVersion());
            assertThat(facts.libvirtVersion()).matches("\\d+\\.\\d+(\\.\\d+)?");
            assertThat(sh(host, "libvirtd --version")).endsWith(facts.libvirtVersion());
        }
    }

    @Test
    void scriptRunsUnderBusyboxShWithOnlyBusyboxTools() throws Exception {
        Path busybox = Path.of("/usr/bin/busybox");
        assumeTrue(Files.isExecutable(busybox), "needs /usr/bin/busybox (Debian package busybox-static)");
        Path bin = Files.createTempDirectory("nvmx-busybox");
        try (LocalHost host = new LocalHost()) {
            // a PATH with busybox applets only, as in a minimal guest: no qemu, no libvirt, no coreutils
            for (String applet : List.of("sh", "sed", "grep", "nproc", "uname", "hostname", "cat", "head", "ls", "id")) {
                Files.createSymbolicLink(bin.resolve(applet), busybox);
            }
            Path script = bin.resolve("facts.sh");
            Files.writeString(script, HostFactsCollector.SCRIPT, StandardCharsets.UTF_8);
            String output = host.run("PATH=" + bin + " " + bin.resolve("sh") + " " + script, Duration.ofSeconds(30))
                    .orThrow(host.name()).stdout();

            HostFacts facts = HostFactsParser.parse(output, Level.L1, "busybox");
            assertThat(facts.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(facts.kernel()).isEqualTo(sh(host, "uname -r"));
            assertThat(facts.qemuVersion()).isNull();
            assertThat(facts.libvirtVersion()).isNull();
        } finally {
            deleteTree(bin);
        }
    }

    private static String sh(LocalHost host, String command) throws Exception {
        return host.run(command, Duration.ofSeconds(30)).orThrow(host.name()).stdout().strip();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
