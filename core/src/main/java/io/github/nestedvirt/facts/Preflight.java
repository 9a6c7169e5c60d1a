package io.github.nestedvirt.facts;

import static io.github.nestedvirt.facts.KvmParameters.ENABLE_APICV;
import static io.github.nestedvirt.facts.KvmParameters.ENABLE_SHADOW_VMCS;
import static io.github.nestedvirt.facts.KvmParameters.EPT;
import static io.github.nestedvirt.facts.KvmParameters.KVM_AMD;
import static io.github.nestedvirt.facts.KvmParameters.KVM_INTEL;
import static io.github.nestedvirt.facts.KvmParameters.NESTED;
import static io.github.nestedvirt.facts.KvmParameters.NPT;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.result.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a host before the test plan runs on it: collects its {@link HostFacts}, probes KVM for
 * real, and turns both into {@link Finding}s that say what is wrong and what to do.
 *
 * <p>What matters depends on the level: L0 and L1 start guests, so they need virtualization,
 * qemu and a working KVM; L0's {@code nested}, {@code ept} and {@code enable_shadow_vmcs} decide
 * what L1 gets. L2 only runs workloads and needs none of it.
 */
public final class Preflight {

    private Preflight() {
    }

    /** Collects facts from {@code host}, probes KVM with {@code probeTimeout}, and judges them. */
    public static PreflightReport run(Host host, Level level, Duration probeTimeout)
            throws HostException, InterruptedException {
        HostFacts facts = HostFactsCollector.collectAndProbe(host, level, probeTimeout);
        return new PreflightReport(facts, findings(facts));
    }

    /** Judges facts that have been collected (and probed) already; pure. */
    public static List<Finding> findings(HostFacts facts) {
        List<Finding> findings = new ArrayList<>();
        if (facts.level() == Level.L2) {
            findings.add(Finding.ok("L2 only runs workloads: it needs no virtualization, qemu or KVM of its own"));
        } else {
            virtualizationFlag(facts, findings);
            kvmModule(facts, findings);
            tools(facts, findings);
            kvm(facts, findings);
        }
        if (facts.cpus() <= 0) {
            findings.add(Finding.warn("the number of CPUs could not be read",
                    "check that nproc, getconf or /proc/cpuinfo work on " + facts.host()));
        }
        return findings;
    }

    private static void virtualizationFlag(HostFacts facts, List<Finding> findings) {
        if (facts.hasVirtualizationFlag()) {
            findings.add(Finding.ok("CPU offers " + (facts.cpuFlags().contains("vmx") ? "vmx" : "svm")));
        } else if (facts.level() == Level.L0) {
            findings.add(Finding.fail("CPU offers neither vmx nor svm: no hardware virtualization on this host",
                    "enable VT-x/AMD-V in the firmware; on a cloud VM, use an instance type with nested virtualization"));
        } else {
            findings.add(Finding.fail("L1 sees neither vmx nor svm: its L2 guests would run under TCG emulation",
                    "give L1 <cpu mode='host-passthrough'/> (or require feature vmx/svm) on an L0 with nested=1"));
        }
    }

    private static void kvmModule(HostFacts facts, List<Finding> findings) {
        String module = facts.kvmModule();
        if (module == null) {
            findings.add(Finding.fail("no KVM module is loaded (neither kvm_intel nor kvm_amd)",
                    "modprobe kvm_intel (Intel) or modprobe kvm_amd (AMD)"));
        } else if (module.equals(KVM_INTEL)) {
            parameters(facts, findings, "vmx", EPT, "EPT");
        } else if (module.equals(KVM_AMD)) {
            parameters(facts, findings, "svm", NPT, "NPT");
        } else {
            findings.add(Finding.warn("KVM module " + module + " is neither kvm_intel nor kvm_amd: its nesting"
                    + " parameters (nested, ept, ...) cannot be read",
                    "results from this host are not comparable with kvm_intel/kvm_amd hosts; keep them apart"));
        }
    }

    private static void parameters(HostFacts facts, List<Finding> findings, String flag, String paging, String pagingName) {
        String module = facts.kvmModule();
        Map<String, String> parameters = facts.kvmParameters() == null ? Map.of() : facts.kvmParameters();
        String reload = "stop every guest on this host, then `modprobe -r " + module + "; modprobe " + module;
        int before = findings.size();
        if (facts.level() == Level.L0) {
            if (!parameters.containsKey(NESTED)) {
                findings.add(Finding.warn(module + " shows no nested parameter: whether L1 sees " + flag + " is unknown",
                        "check /sys/module/" + module + "/parameters/nested"));
            } else if (!facts.kvmParameterOn(NESTED)) {
                findings.add(Finding.fail("nested=" + parameters.get(NESTED) + " on " + module + ": L1 will not see "
                        + flag, reload + " nested=1`"));
            }
            if (parameters.containsKey(paging) && !facts.kvmParameterOn(paging)) {
                findings.add(Finding.warn(paging + "=" + parameters.get(paging) + " on " + module
                        + ": guests use shadow paging, so nested runs measure shadow-on-shadow",
                        "right only for the shadow-on-shadow comparison; otherwise " + reload + " " + paging + "=1 nested=1`"));
            }
            if (parameters.containsKey(ENABLE_SHADOW_VMCS) && !facts.kvmParameterOn(ENABLE_SHADOW_VMCS)) {
                findings.add(Finding.warn("enable_shadow_vmcs=" + parameters.get(ENABLE_SHADOW_VMCS)
                        + ": every VMREAD/VMWRITE of L1 exits to L0",
                        "right only for the 'shadow VMCS off' comparison; otherwise " + reload
                                + " enable_shadow_vmcs=1 nested=1`"));
            }
            if (parameters.containsKey(ENABLE_APICV) && !facts.kvmParameterOn(ENABLE_APICV)) {
                findings.add(Finding.warn("enable_apicv=" + parameters.get(ENABLE_APICV)
                        + ": interrupts and APIC accesses of guests exit to L0",
                        "record it with the results, or " + reload + " enable_apicv=1 nested=1`"));
            }
        } else if (parameters.containsKey(paging) && !facts.kvmParameterOn(paging)) {
            findings.add(Finding.ok(paging + "=" + parameters.get(paging) + " on L1: L2 runs with shadow paging on "
                    + pagingName + " (shadow-on-" + pagingName + ")"));
        }
        if (findings.size() == before) {
            findings.add(Finding.ok(module + ": " + describe(parameters)));
        }
    }

    private static void tools(HostFacts facts, List<Finding> findings) {
        if (facts.qemuVersion() == null) {
            findings.add(Finding.fail("qemu-system-x86_64 is not installed: this host cannot start guests",
                    "apt-get install qemu-system-x86 (Debian, Ubuntu) or dnf install qemu-kvm (RHEL, Fedora)"));
        } else {
            findings.add(Finding.ok("qemu " + facts.qemuVersion()));
        }
        if (facts.libvirtVersion() == null) {
            findings.add(Finding.warn("libvirt is not installed: guests cannot be defined through libvirt here",
                    "apt-get install libvirt-daemon-system libvirt-clients (Debian, Ubuntu) or dnf install libvirt"));
        } else {
            findings.add(Finding.ok("libvirt " + facts.libvirtVersion()));
        }
    }

    private static void kvm(HostFacts facts, List<Finding> findings) {
        KvmStatus kvm = facts.kvm();
        if (kvm == null) {
            findings.add(Finding.warn("KVM was not checked", "run preflight, which probes KVM"));
            return;
        }
        String emulation = ": every guest here would run under TCG emulation; nested timings would measure"
                + " emulation, not " + (facts.cpuFlags() != null && facts.cpuFlags().contains("svm") ? "nSVM" : "nVMX")
                + ". Benchmarks on this host record accelerator=tcg.";
        switch (kvm.state()) {
            case USABLE -> findings.add(Finding.ok("KVM works: " + kvm.detail()));
            case ABSENT -> findings.add(Finding.fail("KVM absent (" + kvm.detail() + ")" + emulation,
                    facts.level() == Level.L0
                            ? "load kvm_intel or kvm_amd and check that virtualization is enabled in the firmware"
                            : "start L1 with vmx/svm on an L0 with nested=1, then modprobe kvm_intel or kvm_amd in L1"));
            case UNUSABLE -> findings.add(Finding.fail("KVM unusable (" + kvm.detail() + ")" + emulation,
                    "check `dmesg` for KVM errors and the host's KVM module; run with TCG only if emulation is"
                            + " what you mean to measure"));
            case UNKNOWN -> findings.add(Finding.warn("KVM untested (" + kvm.detail() + ")",
                    kvm.detail().contains("permission denied")
                            ? "run as root or add the user to the group of /dev/kvm, then run preflight again"
                            : "fix what stopped the probe, then run preflight again"));
        }
    }

    private static String describe(Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return "no parameters read";
        }
        return parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
