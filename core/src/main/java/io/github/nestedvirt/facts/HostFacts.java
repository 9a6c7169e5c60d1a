package io.github.nestedvirt.facts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.nestedvirt.result.Level;
import java.util.List;
import java.util.Map;

/**
 * What a host is, as far as nested-virtualization results depend on it. Shown by
 * {@code nvmx preflight} and recorded as the fingerprint of every level with every run.
 *
 * @param level the nesting level of the host
 * @param host the host's name
 * @param hostname what the host calls itself
 * @param cpuVendor {@code GenuineIntel}, {@code AuthenticAMD}, ...
 * @param cpuModel the model name from {@code /proc/cpuinfo}
 * @param cpuFlags every flag from {@code /proc/cpuinfo}
 * @param cpus online CPUs
 * @param memoryBytes total memory
 * @param kernel {@code uname -r}
 * @param qemuVersion the version of {@code qemu-system-x86_64}, or null when absent
 * @param libvirtVersion the version of libvirt, or null when absent
 * @param kvmModule {@code kvm_intel}, {@code kvm_amd}, or null when neither is loaded
 * @param kvmParameters the module's parameters that matter for nesting ({@code nested}, {@code ept}, ...)
 * @param kvm whether KVM really works here, and why not
 */
public record HostFacts(Level level, String host, String hostname, String cpuVendor, String cpuModel,
        List<String> cpuFlags, int cpus, long memoryBytes, String kernel, String qemuVersion,
        String libvirtVersion, String kvmModule, Map<String, String> kvmParameters, KvmStatus kvm) {

    /** Whether the CPU offers hardware virtualization ({@code vmx} for Intel, {@code svm} for AMD). */
    @JsonIgnore // derived from cpuFlags, not stored
    public boolean hasVirtualizationFlag() {
        return cpuFlags != null && (cpuFlags.contains("vmx") || cpuFlags.contains("svm"));
    }

    /**
     * Whether the loaded KVM module's parameter {@code name} is on ({@code Y} or {@code 1});
     * false when it is off or was not read (see {@link #kvmParameters} for which).
     */
    public boolean kvmParameterOn(String name) {
        return kvmParameters != null && KvmParameters.isOn(kvmParameters.get(name));
    }

    /** These facts with the outcome of a real KVM probe in place of the presence check. */
    public HostFacts withKvm(KvmStatus probed) {
        return new HostFacts(level, host, hostname, cpuVendor, cpuModel, cpuFlags, cpus, memoryBytes, kernel,
                qemuVersion, libvirtVersion, kvmModule, kvmParameters, probed);
    }
}
