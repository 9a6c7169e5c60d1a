package io.github.nestedvirt.facts;

import java.util.Locale;

/**
 * Names and values of the {@code kvm_intel} / {@code kvm_amd} module parameters that decide how
 * nesting works. The kernel shows booleans as {@code Y}/{@code N} ({@code kvm_intel}) or
 * {@code 1}/{@code 0} ({@code kvm_amd nested}); facts keep them as read.
 */
public final class KvmParameters {

    /** Whether guests may use VMX/SVM themselves: without it L1 cannot run L2 under KVM. */
    public static final String NESTED = "nested";
    /** Intel extended page tables; off means shadow paging. */
    public static final String EPT = "ept";
    /** AMD nested page tables; off means shadow paging. */
    public static final String NPT = "npt";
    /** VMCS shadowing: L1's VMREAD/VMWRITE without exits to L0. */
    public static final String ENABLE_SHADOW_VMCS = "enable_shadow_vmcs";
    /** APIC virtualization. */
    public static final String ENABLE_APICV = "enable_apicv";
    /** Real-mode guests without emulation (needs EPT). */
    public static final String UNRESTRICTED_GUEST = "unrestricted_guest";
    /** AMD AVIC (APIC virtualization). */
    public static final String AVIC = "avic";

    public static final String KVM_INTEL = "kvm_intel";
    public static final String KVM_AMD = "kvm_amd";

    private KvmParameters() {
    }

    /** Whether a parameter value as read from sysfs means on: {@code Y}, {@code y} or {@code 1}. */
    public static boolean isOn(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        return v.equals("Y") || v.equals("1");
    }
}
