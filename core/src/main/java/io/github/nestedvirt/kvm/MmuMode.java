package io.github.nestedvirt.kvm;

import io.github.nestedvirt.facts.KvmParameters;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The three MMU combinations of the nVMX test plan (seed item 2), as {@code kvm_intel ept} values
 * on L0 and L1. With {@code ept=0} on L0, L0 offers no EPT to L1, so L1's value does not matter.
 */
public enum MmuMode {
    /** Software only: shadow page tables in L0 and L1. */
    SHADOW_ON_SHADOW("shadow-on-shadow", false, null),
    /** EPT in L0, shadow page tables in L1. */
    SHADOW_ON_EPT("shadow-on-ept", true, false),
    /** Nested EPT: EPT in L0 and in L1. */
    EPT_ON_EPT("ept-on-ept", true, true);

    private final String label;
    private final boolean l0Ept;
    private final Boolean l1Ept;

    MmuMode(String label, boolean l0Ept, Boolean l1Ept) {
        this.label = label;
        this.l0Ept = l0Ept;
        this.l1Ept = l1Ept;
    }

    /** The name in plans, results and reports, e.g. {@code shadow-on-ept}. */
    public String label() {
        return label;
    }

    /** The {@code kvm_intel} parameters L0 needs. */
    public Map<String, String> l0Parameters() {
        return Map.of(KvmParameters.EPT, l0Ept ? "1" : "0");
    }

    /** The {@code kvm_intel} parameters L1 needs; empty where L1's setting does not matter. */
    public Map<String, String> l1Parameters() {
        return l1Ept == null ? Map.of() : Map.of(KvmParameters.EPT, l1Ept ? "1" : "0");
    }

    public static MmuMode parse(String label) {
        return Arrays.stream(values()).filter(mode -> mode.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("mmu: must be one of "
                        + Arrays.stream(values()).map(MmuMode::label).collect(Collectors.joining(", "))
                        + ", got '" + label + "'"));
    }
}
