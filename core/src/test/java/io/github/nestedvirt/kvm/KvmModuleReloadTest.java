package io.github.nestedvirt.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.provision.LibvirtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What can be real on a machine whose kvm module must not be reloaded by a test: reading module
 * parameters from sysfs, the refusals that come before any reload, and the exact reload command.
 */
class KvmModuleReloadTest {

    private final LocalHost local = new LocalHost();
    private final KvmModuleReload reload = new KvmModuleReload(local);

    @Test
    void readsParametersOfALoadedModuleFromSysfs() throws Exception {
        Path haltPollNs = Path.of("/sys/module/kvm/parameters/halt_poll_ns");
        if (!Files.exists(haltPollNs)) {
            assertThatThrownBy(() -> reload.current("kvm", List.of("halt_poll_ns")))
                    .as("kvm is not loaded on this machine").isInstanceOf(KvmModuleException.class)
                    .hasMessageStartingWith("local: kvm is not loaded");
            return;
        }
        Map<String, String> values = reload.current("kvm", List.of("halt_poll_ns"));

        assertThat(values.get("halt_poll_ns")).isEqualTo(Files.readString(haltPollNs).strip());
    }

    @Test
    void aModuleThatIsNotLoadedIsNamedWithTheOneThatIs() throws Exception {
        String absent = Files.isDirectory(Path.of("/sys/module/kvm_amd")) ? "kvm_intel_absent" : "kvm_amd";
        assertThat(Path.of("/sys/module", absent)).doesNotExist();

        assertThatThrownBy(() -> reload.current(absent, List.of("nested")))
                .isInstanceOf(KvmModuleException.class)
                .hasMessageStartingWith("local: " + absent + " is not loaded (loaded: " + loadedKvmModules() + ")")
                .hasMessageContaining("cannot be read or switched on this host");
    }

    @Test
    void anUnknownParameterIsNamed() {
        assertThatThrownBy(() -> reload.current("kvm", List.of("no_such_parameter")))
                .hasMessage("local: kvm has no parameter 'no_such_parameter'");
    }

    @Test
    void refusesWhileGuestsOfOtherRunsAreRunningOnTheRealLibvirtTestDriver() throws Exception {
        RunningGuests guests;
        try (LibvirtSession libvirt = LibvirtSession.open("test:///default")) {
            guests = RunningGuests.of(libvirt, "this-run");
        }
        // the test driver starts with one running domain, "test", that no run of ours tagged
        assertThat(guests.foreign()).contains("test");
        assertThat(guests.own()).isEmpty();

        assertThatThrownBy(() -> reload.apply("kvm_intel", Map.of("ept", "0"), guests, false))
                .isInstanceOf(KvmModuleException.class)
                .hasMessageContaining("guests this run does not own are running: test")
                .hasMessageContaining("force the switch (matrix.force: true)");
    }

    @Test
    void refusesWhileItsOwnGuestsAreStillRunning() {
        RunningGuests guests = new RunningGuests(List.of("nvmx-l1"), List.of());

        assertThatThrownBy(() -> reload.apply("kvm_intel", Map.of("ept", "0"), guests, true))
                .hasMessageContaining("guests of this run are still running: nvmx-l1; stop them before switching kvm_intel");
    }

    @Test
    void reloadCommandQuotesEveryValue() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ept", "0");
        parameters.put("enable_shadow_vmcs", "1; reboot");

        assertThat(KvmModuleReload.reloadCommand("kvm_intel", parameters))
                .isEqualTo("modprobe -r kvm_intel && modprobe kvm_intel ept=0 'enable_shadow_vmcs=1; reboot'");
        assertThatThrownBy(() -> KvmModuleReload.reloadCommand("kvm_intel", Map.of("ept; reboot", "0")))
                .hasMessage("parameter: 'ept; reboot' is not a kernel module or parameter name");
    }

    @Test
    void sysfsBooleansCompareByMeaning() {
        assertThat(KvmModuleReload.mismatches(Map.of("ept", "1"), Map.of("ept", "Y"))).isEmpty();
        assertThat(KvmModuleReload.mismatches(Map.of("ept", "0"), Map.of("ept", "Y"))).containsExactly("ept=0 (is Y)");
        assertThat(KvmModuleReload.mismatches(Map.of("halt_poll_ns", "200000"), Map.of("halt_poll_ns", "200000")))
                .isEmpty();
    }

    private static String loadedKvmModules() throws IOException {
        try (Stream<Path> modules = Files.list(Path.of("/sys/module"))) {
            List<String> names = modules.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("kvm_")).sorted().toList();
            return names.isEmpty() ? "no kvm module" : String.join(", ", names);
        }
    }
}
