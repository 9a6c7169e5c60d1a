package io.github.nestedvirt.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nestedvirt.facts.KvmProbe.Accelerator;
import io.github.nestedvirt.facts.KvmProbe.Boot;
import io.github.nestedvirt.facts.KvmProbe.Outcome;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.LocalHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe guest booted for real on this machine, and the reading of every way it can end. */
class KvmProbeTest {

    private static final Duration TIMEOUT = KvmProbe.DEFAULT_TIMEOUT;

    @Test
    void bootSectorHasTheBootSignatureAndTheMarker() {
        byte[] sector = ProbeBootSector.bytes();
        assertThat(sector).hasSize(512);
        assertThat(sector[510]).isEqualTo((byte) 0x55);
        assertThat(sector[511]).isEqualTo((byte) 0xaa);
        assertThat(new String(sector, java.nio.charset.StandardCharsets.US_ASCII)).contains(ProbeBootSector.MARKER);
    }

    @Test
    void payloadRunsUnderTcgAndPrintsItsMarker() throws Exception {
        assumeQemu();
        try (LocalHost host = new LocalHost()) {
            Boot boot = new KvmProbe(TIMEOUT).boot(host, Accelerator.TCG);

            assertThat(boot.outcome()).as("TCG boot: %s", boot).isEqualTo(Outcome.RAN);
            assertThat(boot.serial()).contains(ProbeBootSector.MARKER);
            assertThat(boot.exitStatus()).as("qemu exits through isa-debug-exit").isEqualTo(ProbeBootSector.EXIT_STATUS);
        }
    }

    @Test
    void kvmProbeOnThisMachineSaysWhatItFound() throws Exception {
        assumeQemu();
        try (LocalHost host = new LocalHost()) {
            KvmStatus status = new KvmProbe(TIMEOUT).probe(host);

            if (!Files.exists(Path.of("/dev/kvm"))) {
                assertThat(status).isEqualTo(new KvmStatus(KvmStatus.State.ABSENT, "no /dev/kvm"));
                return;
            }
            assertThat(status.state()).isNotEqualTo(KvmStatus.State.ABSENT);
            assertThat(status.detail()).isNotBlank();
            if (status.state() == KvmStatus.State.UNUSABLE) {
                // the two ways a broken KVM shows: qemu aborts with its error, or the guest hangs
                assertThat(status.detail()).containsAnyOf("qemu -accel kvm failed", "hung for");
            }
            System.out.println("KVM probe on this machine: " + status);
        }
    }

    @Test
    void guestThatNeverPrintsIsKilledAtTheTimeoutAndCountsAsHung() throws Exception {
        assumeQemu();
        // 512 zero bytes: no boot signature, so the BIOS finds nothing to boot and waits; nothing is printed
        String notBootable = "\\000".repeat(512);
        KvmProbe probe = new KvmProbe(Duration.ofSeconds(2));
        try (LocalHost host = new LocalHost()) {
            // other runs on this machine may have probes of their own in /tmp: only ours must be gone
            String probeImages = "ls -d /tmp/nvmx-kvm-probe.* 2>/dev/null";
            String before = host.run(probeImages, Duration.ofSeconds(10)).stdout();
            Boot boot = probe.boot(host, Accelerator.TCG, KvmProbe.script(Accelerator.TCG, 2, notBootable));

            assertThat(boot.outcome()).as("boot: %s", boot).isEqualTo(Outcome.HUNG);
            assertThat(boot.exitStatus()).as("killed by timeout -s KILL").isEqualTo(137);
            assertThat(KvmProbe.status(boot, Duration.ofSeconds(2)).detail())
                    .isEqualTo("hung for 2 s: /dev/kvm is present but guests do not run under KVM");
            // a character class keeps the pattern from matching the shell that runs pgrep
            assertThat(host.run("pgrep -f 'qemu-system.*[n]vmx-kvm-probe'", Duration.ofSeconds(10)).stdout())
                    .as("no qemu left running").isEmpty();
            assertThat(host.run(probeImages, Duration.ofSeconds(10)).stdout().lines())
                    .as("no boot image left behind").isSubsetOf(before.lines().toList());
        }
    }

    @Test
    void markerMeansUsable() {
        Boot boot = KvmProbe.interpret(result("nvmx-probe: start qemu-system-x86_64\n\r\nNVMX-PROBE-GUEST-RAN\r\n"
                + "nvmx-probe: exit 85\n", ""), Accelerator.KVM);

        assertThat(boot.outcome()).isEqualTo(Outcome.RAN);
        assertThat(boot.exitStatus()).isEqualTo(85);
        assertThat(KvmProbe.status(boot, TIMEOUT).state()).isEqualTo(KvmStatus.State.USABLE);
    }

    @Test
    void qemuAbortIsUnusableWithQemusError() {
        Boot boot = KvmProbe.interpret(result("nvmx-probe: start qemu-system-x86_64\nnvmx-probe: exit 134\n",
                "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n"
                        + "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion failed.\n"),
                Accelerator.KVM);
        KvmStatus status = KvmProbe.status(boot, TIMEOUT);

        assertThat(status.state()).isEqualTo(KvmStatus.State.UNUSABLE);
        assertThat(status.detail()).contains("exit status 134").contains("failed to set MSR 0x10a");
    }

    @Test
    void killedByTimeoutIsUnusableBecauseItHung() {
        Boot boot = KvmProbe.interpret(result("nvmx-probe: start qemu-system-x86_64\nnvmx-probe: exit 137\n", ""),
                Accelerator.KVM);
        KvmStatus status = KvmProbe.status(boot, Duration.ofSeconds(7));

        assertThat(boot.outcome()).isEqualTo(Outcome.HUNG);
        assertThat(status.state()).isEqualTo(KvmStatus.State.UNUSABLE);
        assertThat(status.detail()).isEqualTo("hung for 7 s: /dev/kvm is present but guests do not run under KVM");
    }

    @Test
    void missingDeviceIsAbsentAndMissingQemuOrPermissionIsUnknown() {
        assertThat(KvmProbe.status(KvmProbe.interpret(result("nvmx-probe: no-device\n", ""), Accelerator.KVM), TIMEOUT))
                .isEqualTo(new KvmStatus(KvmStatus.State.ABSENT, "no /dev/kvm"));

        KvmStatus noQemu = KvmProbe.status(KvmProbe.interpret(result("nvmx-probe: no-qemu\n", ""), Accelerator.KVM), TIMEOUT);
        assertThat(noQemu.state()).isEqualTo(KvmStatus.State.UNKNOWN);
        assertThat(noQemu.detail()).contains("neither qemu-system-x86_64 nor /usr/libexec/qemu-kvm is installed");

        KvmStatus denied = KvmProbe.status(KvmProbe.interpret(result(
                "nvmx-probe: no-permission user bob, crw-rw---- 1 root kvm 10, 232 Nov 21 02:10 /dev/kvm\n", ""),
                Accelerator.KVM), TIMEOUT);
        assertThat(denied.state()).isEqualTo(KvmStatus.State.UNKNOWN);
        assertThat(denied.detail()).contains("permission denied").contains("bob").contains("crw-rw----");
    }

    @Test
    void scriptPassesNoUserValuesButQuotesTheBootSector() {
        String script = KvmProbe.script(Accelerator.KVM, 10);

        assertThat(script).contains("timeout -s KILL 10 \"$q\" -accel kvm -machine pc -cpu host");
        assertThat(script).contains("printf '\\372\\374\\061\\300");
    }

    private static CommandResult result(String stdout, String stderr) {
        return new CommandResult("probe", 0, stdout, stderr, Duration.ofMillis(300));
    }

    private static void assumeQemu() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "this test boots a guest and needs /usr/bin/qemu-system-x86_64 (Debian package qemu-system-x86)");
    }
}
