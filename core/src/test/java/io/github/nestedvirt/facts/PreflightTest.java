package io.github.nestedvirt.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nestedvirt.facts.Finding.Severity;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.result.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Findings drawn from constructed facts, and one real preflight of this machine. */
class PreflightTest {

    private static final KvmStatus WORKS = new KvmStatus(KvmStatus.State.USABLE, "a test guest ran");
    private static final List<String> VMX = List.of("fpu", "vmx", "ept");

    @Test
    void healthyIntelL0HasOnlyOkFindings() {
        List<Finding> findings = Preflight.findings(intel(Level.L0, params("Y", "Y", "Y", "Y"), WORKS));

        assertThat(findings).extracting(Finding::severity).containsOnly(Severity.OK);
        assertThat(findings).extracting(Finding::message)
                .contains("CPU offers vmx", "kvm_intel: nested=Y ept=Y enable_shadow_vmcs=Y enable_apicv=Y",
                        "qemu 7.2.22", "libvirt 9.0.0", "KVM works: a test guest ran");
    }

    @Test
    void nestedOffOnL0FailsAndSaysHowToReload() {
        List<Finding> findings = Preflight.findings(intel(Level.L0, params("N", "Y", "Y", "Y"), WORKS));

        assertThat(findings).filteredOn(f -> f.severity() == Severity.FAIL).singleElement().satisfies(f -> {
            assertThat(f.message()).isEqualTo("nested=N on kvm_intel: L1 will not see vmx");
            assertThat(f.action()).contains("modprobe -r kvm_intel; modprobe kvm_intel nested=1");
        });
    }

    @Test
    void eptAndShadowVmcsOffOnL0AreWarningsNamingTheMode() {
        List<Finding> findings = Preflight.findings(intel(Level.L0, params("Y", "N", "N", "Y"), WORKS));

        assertThat(findings).filteredOn(f -> f.severity() == Severity.WARN).extracting(Finding::message)
                .containsExactly(
                        "ept=N on kvm_intel: guests use shadow paging, so nested runs measure shadow-on-shadow",
                        "enable_shadow_vmcs=N: every VMREAD/VMWRITE of L1 exits to L0");
    }

    @Test
    void eptOffOnL1IsTheShadowOnEptModeNotAProblem() {
        List<Finding> findings = Preflight.findings(intel(Level.L1, params("N", "N", "N", "N"), WORKS));

        assertThat(findings).extracting(Finding::severity).containsOnly(Severity.OK);
        assertThat(findings).extracting(Finding::message).contains("ept=N on L1: L2 runs with shadow paging on EPT (shadow-on-EPT)");
    }

    @Test
    void amdWithNestedZeroFailsAboutSvm() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("nested", "0");
        params.put("npt", "1");
        HostFacts facts = new HostFacts(Level.L0, "epyc", "epyc", "AuthenticAMD", "AMD EPYC", List.of("svm", "npt"),
                64, 1L << 37, "6.1.0", "8.0.0", "9.5.0", "kvm_amd", params, WORKS);

        assertThat(Preflight.findings(facts)).filteredOn(f -> f.severity() == Severity.FAIL).singleElement()
                .satisfies(f -> {
                    assertThat(f.message()).isEqualTo("nested=0 on kvm_amd: L1 will not see svm");
                    assertThat(f.action()).contains("modprobe kvm_amd nested=1");
                });
    }

    @Test
    void brokenKvmWithoutVmxQemuOrModuleFailsOnEachCount() {
        HostFacts facts = new HostFacts(Level.L0, "local", "vm", "AuthenticAMD", "AMD EPYC", List.of("fpu", "hypervisor"),
                2, 1L << 34, "6.18", null, null, null, Map.of(),
                new KvmStatus(KvmStatus.State.UNUSABLE, "hung for 10 s: /dev/kvm is present but guests do not run under KVM"));

        List<Finding> findings = Preflight.findings(facts);

        assertThat(findings).filteredOn(f -> f.severity() == Severity.FAIL).extracting(Finding::message).containsExactly(
                "CPU offers neither vmx nor svm: no hardware virtualization on this host",
                "no KVM module is loaded (neither kvm_intel nor kvm_amd)",
                "qemu-system-x86_64 is not installed: this host cannot start guests",
                "KVM unusable (hung for 10 s: /dev/kvm is present but guests do not run under KVM): every guest here"
                        + " would run under TCG emulation; nested timings would measure emulation, not nVMX."
                        + " Benchmarks on this host record accelerator=tcg.");
        assertThat(findings).filteredOn(f -> f.severity() == Severity.WARN).extracting(Finding::message)
                .containsExactly("libvirt is not installed: guests cannot be defined through libvirt here");
        assertThat(findings).allSatisfy(f -> {
            if (f.severity() != Severity.OK) {
                assertThat(f.action()).as("what to do about: %s", f.message()).isNotBlank();
            }
        });
    }

    @Test
    void l1WithoutVmxFailsWithTheCpuModeToUse() {
        HostFacts facts = new HostFacts(Level.L1, "root@l1", "l1", "GenuineIntel", "Xeon", List.of("fpu", "hypervisor"),
                2, 1L << 31, "6.1.0", "7.2.22", "9.0.0", null, Map.of(), new KvmStatus(KvmStatus.State.ABSENT, "no /dev/kvm"));

        List<Finding> findings = Preflight.findings(facts);

        assertThat(findings).filteredOn(f -> f.message().startsWith("L1 sees neither vmx nor svm")).singleElement()
                .extracting(Finding::action).asString().contains("host-passthrough");
        assertThat(findings).filteredOn(f -> f.message().startsWith("KVM absent")).singleElement()
                .extracting(Finding::severity).isEqualTo(Severity.FAIL);
    }

    @Test
    void l2NeedsNoVirtualization() {
        HostFacts facts = new HostFacts(Level.L2, "root@l2", "l2", "GenuineIntel", "Xeon", List.of("fpu"),
                1, 1L << 30, "6.1.0", null, null, null, Map.of(), new KvmStatus(KvmStatus.State.ABSENT, "no /dev/kvm"));

        PreflightReport report = new PreflightReport(facts, Preflight.findings(facts));

        assertThat(report.passed()).isTrue();
        assertThat(report.worst()).isEqualTo(Severity.OK);
    }

    @Test
    void unknownKvmBecauseOfPermissionsSaysToFixTheGroup() {
        HostFacts facts = intel(Level.L0, params("Y", "Y", "Y", "Y"), new KvmStatus(KvmStatus.State.UNKNOWN,
                "cannot probe KVM: permission denied on /dev/kvm for user bob, crw-rw---- 1 root kvm"));

        assertThat(Preflight.findings(facts)).filteredOn(f -> f.severity() == Severity.WARN).singleElement()
                .extracting(Finding::action).asString().contains("add the user to the group of /dev/kvm");
    }

    @Test
    void textShowsFactsAlignedAndFindingsWithActions() {
        HostFacts facts = intel(Level.L0, params("N", "Y", "Y", "Y"), WORKS);
        String text = new PreflightReport(facts, Preflight.findings(facts)).toText();

        assertThat(text).startsWith("Preflight of lab (L0)\n");
        assertThat(text).contains("  kernel       6.1.0-18-amd64\n", "  qemu         7.2.22\n",
                "  CPU          GenuineIntel Xeon Gold, 80 CPUs, vmx\n", "  memory       16.0 GiB\n",
                "  accelerator  kvm\n");
        assertThat(text).contains("  FAIL  nested=N on kvm_intel: L1 will not see vmx\n"
                + "        -> stop every guest on this host, then `modprobe -r kvm_intel; modprobe kvm_intel nested=1`\n");
        assertThat(text).endsWith("Result: FAIL (1 FAIL, 0 WARN, 4 OK)\n");
    }

    @Test
    void jsonHoldsFactsFindingsAndVerdict() throws Exception {
        HostFacts facts = intel(Level.L0, params("Y", "Y", "Y", "Y"), WORKS);
        JsonNode json = new ObjectMapper().readTree(new PreflightReport(facts, Preflight.findings(facts)).toJson());

        assertThat(json.at("/facts/level").asText()).isEqualTo("L0");
        assertThat(json.at("/facts/kvmParameters/nested").asText()).isEqualTo("Y");
        assertThat(json.at("/facts/kvm/state").asText()).isEqualTo("USABLE");
        assertThat(json.at("/findings/0/severity").asText()).isEqualTo("OK");
        assertThat(json.at("/passed").asBoolean()).isTrue();
        assertThat(json.at("/accelerator").asText()).isEqualTo("kvm");
    }

    @Test
    void realPreflightOfThisMachine() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "needs /usr/bin/qemu-system-x86_64 (Debian package qemu-system-x86) to probe KVM");
        try (LocalHost host = new LocalHost()) {
            PreflightReport report = Preflight.run(host, Level.L0, KvmProbe.DEFAULT_TIMEOUT);

            assertThat(report.facts().kvm().detail()).isNotBlank().doesNotContain("not probed");
            assertThat(report.facts().kernel()).isNotBlank();
            String kvmFinding = report.facts().kvm().usable() ? "KVM works" : "KVM ";
            assertThat(report.findings()).extracting(Finding::message).anyMatch(m -> m.startsWith(kvmFinding));
            assertThat(report.accelerator()).isEqualTo(report.facts().kvm().usable() ? "kvm" : "tcg");
            System.out.println(report.toText());
        }
    }

    private static HostFacts intel(Level level, Map<String, String> params, KvmStatus kvm) {
        return new HostFacts(level, "lab", "lab-01", "GenuineIntel", "Xeon Gold", VMX, 80, 16L << 30, "6.1.0-18-amd64",
                "7.2.22", "9.0.0", "kvm_intel", params, kvm);
    }

    private static Map<String, String> params(String nested, String ept, String shadowVmcs, String apicv) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("nested", nested);
        params.put("ept", ept);
        params.put("enable_shadow_vmcs", shadowVmcs);
        params.put("enable_apicv", apicv);
        return params;
    }
}
