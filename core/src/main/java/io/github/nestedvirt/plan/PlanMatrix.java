package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.facts.KvmParameters;
import io.github.nestedvirt.kvm.MmuMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kvm_intel settings a plan runs its benchmarks under, one cell after the other: every MMU
 * combination of {@code mmu} with every VMCS shadowing setting of {@code vmcsShadowing} (seed items 1
 * and 2). A missing list leaves that parameter as the host has it.
 *
 * @param mmu MMU combinations: {@code ept} on L0 and, for shadow-on-EPT and EPT-on-EPT, on every L1 of the plan
 * @param vmcsShadowing {@code enable_shadow_vmcs} on L0, true for on
 * @param force switch even while guests this run does not own are running on a host (reloading the
 *     module stops them)
 */
public record PlanMatrix(List<MmuMode> mmu, List<Boolean> vmcsShadowing, boolean force) {

    public PlanMatrix {
        mmu = mmu == null ? List.of() : List.copyOf(mmu);
        vmcsShadowing = vmcsShadowing == null ? List.of() : List.copyOf(vmcsShadowing);
        if (mmu.isEmpty() && vmcsShadowing.isEmpty()) {
            throw new IllegalArgumentException("give 'mmu' (shadow-on-shadow, shadow-on-ept, ept-on-ept), "
                    + "'vmcsShadowing' (on, off), or both");
        }
        if (mmu.size() != mmu.stream().distinct().count() || vmcsShadowing.size() != vmcsShadowing.stream()
                .distinct().count()) {
            throw new IllegalArgumentException("a value is listed twice; each cell runs once");
        }
    }

    @JsonCreator
    static PlanMatrix fromPlan(@JsonProperty("mmu") List<String> mmu,
            @JsonProperty("vmcsShadowing") List<String> vmcsShadowing, @JsonProperty("force") Boolean force) {
        List<MmuMode> modes = new ArrayList<>();
        if (mmu != null) {
            for (String label : mmu) {
                modes.add(MmuMode.parse(label));
            }
        }
        List<Boolean> shadowing = new ArrayList<>();
        if (vmcsShadowing != null) {
            for (String value : vmcsShadowing) {
                shadowing.add(switch (value) {
                    case "on", "true" -> true;
                    case "off", "false" -> false;
                    default -> throw new IllegalArgumentException("vmcsShadowing: must be on or off, got '"
                            + value + "'");
                });
            }
        }
        return new PlanMatrix(modes, shadowing, Boolean.TRUE.equals(force));
    }

    /** Every combination, MMU mode outermost, in the order the plan lists them. */
    public List<Cell> cells() {
        List<MmuMode> modes = mmu.isEmpty() ? java.util.Collections.singletonList(null) : mmu;
        List<Boolean> shadowing = vmcsShadowing.isEmpty() ? java.util.Collections.singletonList(null) : vmcsShadowing;
        List<Cell> cells = new ArrayList<>();
        for (MmuMode mode : modes) {
            for (Boolean shadow : shadowing) {
                cells.add(new Cell(mode, shadow));
            }
        }
        return cells;
    }

    /**
     * One setting of the matrix.
     *
     * @param mmu the MMU combination, or null where the plan does not switch it
     * @param vmcsShadowing VMCS shadowing on L0, or null where the plan does not switch it
     */
    public record Cell(MmuMode mmu, Boolean vmcsShadowing) {

        /** What tells this cell's measurements apart: {@code mmu} and {@code vmcsShadowing}, as in plans. */
        public Map<String, String> variant() {
            Map<String, String> variant = new LinkedHashMap<>();
            if (mmu != null) {
                variant.put("mmu", mmu.label());
            }
            if (vmcsShadowing != null) {
                variant.put("vmcsShadowing", vmcsShadowing ? "on" : "off");
            }
            return variant;
        }

        /** The kvm_intel parameters L0 is reloaded with. */
        public Map<String, String> l0Parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            if (mmu != null) {
                parameters.putAll(mmu.l0Parameters());
            }
            if (vmcsShadowing != null) {
                parameters.put(KvmParameters.ENABLE_SHADOW_VMCS, vmcsShadowing ? "1" : "0");
            }
            return parameters;
        }

        /** The kvm_intel parameters every L1 is reloaded with; empty where L1's setting does not matter. */
        public Map<String, String> l1Parameters() {
            return mmu == null ? Map.of() : mmu.l1Parameters();
        }

        @Override
        public String toString() {
            return variant().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "));
        }
    }
}
