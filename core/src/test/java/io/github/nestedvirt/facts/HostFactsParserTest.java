package io.github.nestedvirt.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.result.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The facts script's output as it looks on an Intel host, an AMD host, a plain guest and a busybox guest. */
class HostFactsParserTest {

    @Test
    void intelHostWithKvmIntel() throws IOException {
        HostFacts facts = HostFactsParser.parse(fixture("intel-kvm-intel.txt"), Level.L0, "lab-xeon");

        assertThat(facts.level()).isEqualTo(Level.L0);
        assertThat(facts.host()).isEqualTo("lab-xeon");
        assertThat(facts.hostname()).isEqualTo("lab-xeon-01");
        assertThat(facts.cpuVendor()).isEqualTo("GenuineIntel");
        assertThat(facts.cpuModel()).isEqualTo("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
        assertThat(facts.cpuFlags()).contains("vmx", "ept", "fpu", "arch_capabilities").doesNotContain("svm", "flags");
        assertThat(facts.hasVirtualizationFlag()).isTrue();
        assertThat(facts.cpus()).isEqualTo(80);
        assertThat(facts.memoryBytes()).isEqualTo(394846364L * 1024);
        assertThat(facts.kernel()).isEqualTo("6.1.0-18-amd64");
        assertThat(facts.qemuVersion()).isEqualTo("7.2.9");
        assertThat(facts.libvirtVersion()).isEqualTo("9.0.0");
        assertThat(facts.kvmModule()).isEqualTo("kvm_intel");
        assertThat(facts.kvmParameters()).containsExactly(
                entry("nested", "Y"), entry("ept", "Y"), entry("enable_shadow_vmcs", "Y"),
                entry("enable_apicv", "Y"), entry("unrestricted_guest", "Y"));
        assertThat(facts.kvmParameterOn("nested")).isTrue();
        assertThat(facts.kvm().state()).isEqualTo(KvmStatus.State.UNKNOWN);
        assertThat(facts.kvm().detail()).isEqualTo("/dev/kvm present (crw-rw---- root:kvm), not probed");
    }

    @Test
    void amdHostWithKvmAmdKeepsParametersAsRead() throws IOException {
        HostFacts facts = HostFactsParser.parse(fixture("amd-kvm-amd.txt"), Level.L0, "epyc");

        assertThat(facts.cpuVendor()).isEqualTo("AuthenticAMD");
        assertThat(facts.cpuModel()).isEqualTo("AMD EPYC 7543 32-Core Processor");
        assertThat(facts.cpuFlags()).contains("svm", "npt").doesNotContain("vmx");
        assertThat(facts.cpus()).isEqualTo(128);
        assertThat(facts.kernel()).isEqualTo("5.14.0-362.8.1.el9_3.x86_64");
        assertThat(facts.qemuVersion()).as("RHEL's qemu-kvm names its package in brackets").isEqualTo("8.0.0");
        assertThat(facts.libvirtVersion()).as("modular daemon virtqemud").isEqualTo("9.5.0");
        assertThat(facts.kvmModule()).isEqualTo("kvm_amd");
        assertThat(facts.kvmParameters()).containsExactly(entry("nested", "0"), entry("npt", "1"), entry("avic", "0"));
        assertThat(facts.kvmParameterOn("nested")).isFalse();
        assertThat(facts.kvmParameterOn("npt")).isTrue();
        assertThat(facts.kvmParameterOn("ept")).as("not a kvm_amd parameter").isFalse();
    }

    @Test
    void guestWithoutQemuLibvirtOrKvm() throws IOException {
        HostFacts facts = HostFactsParser.parse(fixture("guest-no-qemu.txt"), Level.L2, "l2");

        assertThat(facts.cpuFlags()).contains("hypervisor").doesNotContain("vmx", "svm");
        assertThat(facts.hasVirtualizationFlag()).isFalse();
        assertThat(facts.cpus()).isEqualTo(2);
        assertThat(facts.memoryBytes()).isEqualTo(2014036L * 1024);
        assertThat(facts.qemuVersion()).isNull();
        assertThat(facts.libvirtVersion()).isNull();
        assertThat(facts.kvmModule()).isNull();
        assertThat(facts.kvmParameters()).isEmpty();
        assertThat(facts.kvm()).isEqualTo(new KvmStatus(KvmStatus.State.ABSENT, "no /dev/kvm"));
    }

    @Test
    void busyboxGuestWithNestedOffAndNoAccessToDevKvm() throws IOException {
        HostFacts facts = HostFactsParser.parse(fixture("busybox-guest.txt"), Level.L1, "root@l1");

        assertThat(facts.hostname()).isEqualTo("(none)");
        assertThat(facts.cpuFlags()).contains("vmx");
        assertThat(facts.cpus()).isEqualTo(1);
        assertThat(facts.kernel()).isEqualTo("6.1.0-nvmx-l1");
        assertThat(facts.kvmModule()).isEqualTo("kvm_intel");
        assertThat(facts.kvmParameters()).containsEntry("nested", "N").containsEntry("enable_shadow_vmcs", "N");
        assertThat(facts.kvmParameterOn("nested")).isFalse();
        assertThat(facts.kvmParameterOn("ept")).isTrue();
        assertThat(facts.kvm().state()).isEqualTo(KvmStatus.State.UNKNOWN);
        assertThat(facts.kvm().detail())
                .isEqualTo("permission denied: /dev/kvm is crw------- root:root and user nobody cannot read and write it;"
                        + " add nobody to the device's group");
    }

    @Test
    void outputOfSomethingElseIsRejectedNamingTheHost() {
        assertThatThrownBy(() -> HostFactsParser.parse("fish: Unknown command: s\n", Level.L1, "root@l1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("root@l1").hasMessageContaining("POSIX sh").hasMessageContaining("fish: Unknown");
    }

    @Test
    void outputCutShortIsRejected() throws IOException {
        String full = fixture("intel-kvm-intel.txt");
        String cut = full.substring(0, full.indexOf("==nvmx:qemu=="));

        assertThatThrownBy(() -> HostFactsParser.parse(cut, Level.L0, "lab-xeon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lab-xeon").hasMessageContaining("last section seen: hostname");
    }

    @Test
    void parameterValuesOnAndOff() {
        assertThat(KvmParameters.isOn("Y")).isTrue();
        assertThat(KvmParameters.isOn("1")).isTrue();
        assertThat(KvmParameters.isOn("y\n")).isTrue();
        assertThat(KvmParameters.isOn("N")).isFalse();
        assertThat(KvmParameters.isOn("0")).isFalse();
        assertThat(KvmParameters.isOn(null)).isFalse();
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = HostFactsParserTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
