package io.github.nestedvirt.plan;

import io.github.nestedvirt.facts.KvmParameters;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.kvm.KvmModuleReload;
import io.github.nestedvirt.kvm.ModuleSwitch;
import io.github.nestedvirt.kvm.RunningGuests;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Switches kvm_intel on L0 from one matrix cell to the next and puts the values it found back at the
 * end. The first switch's "before" is what the host had: that is what {@link #restore} reloads.
 */
final class KvmIntelSwitcher {

    private final Host l0;
    private final ModuleSwitch module;
    private final boolean force;
    private final List<String> parameters;
    private KvmModuleReload.Change original;
    private KvmModuleReload.Change last;

    KvmIntelSwitcher(Host l0, Function<Host, ModuleSwitch> switches, PlanMatrix matrix) {
        this.l0 = l0;
        this.module = switches.apply(l0);
        this.force = matrix.force();
        Set<String> names = new LinkedHashSet<>();
        matrix.cells().forEach(cell -> names.addAll(cell.l0Parameters().keySet()));
        this.parameters = List.copyOf(names);
    }

    /**
     * Reads the parameters the matrix switches, so that a host without kvm_intel (an AMD host, or one
     * where it is not loaded) is refused before anything is created.
     */
    Map<String, String> check() throws HostException, InterruptedException {
        return module.current(KvmParameters.KVM_INTEL, parameters);
    }

    /** Reloads kvm_intel on L0 for {@code cell}; returns the values now in force, as sysfs shows them. */
    Map<String, String> switchTo(PlanMatrix.Cell cell, RunningGuests guests)
            throws HostException, InterruptedException {
        KvmModuleReload.Change change = module.apply(KvmParameters.KVM_INTEL, cell.l0Parameters(), guests, force);
        if (original == null) {
            original = change;
        }
        last = change;
        return module.current(KvmParameters.KVM_INTEL, parameters);
    }

    /** Puts back what L0 had before the first switch; nothing when nothing was switched. */
    void restore() throws HostException, InterruptedException {
        if (original != null) {
            module.restore(new KvmModuleReload.Change(original.module(), original.before(), last.after()));
            original = null;
        }
    }

    /** Switches kvm_intel in each L1 for {@code cell}; returns what to restore, in order. */
    static List<Switched> switchL1s(Map<String, Host> l1s, Function<Host, ModuleSwitch> switches, PlanMatrix.Cell cell,
            boolean force) throws HostException, InterruptedException {
        List<Switched> switched = new ArrayList<>();
        if (cell.l1Parameters().isEmpty()) {
            return switched;
        }
        try {
            for (Map.Entry<String, Host> l1 : l1s.entrySet()) {
                ModuleSwitch module = switches.apply(l1.getValue());
                KvmModuleReload.Change change = module.apply(KvmParameters.KVM_INTEL, cell.l1Parameters(),
                        RunningGuests.listedByVirsh(l1.getValue()), force);
                Map<String, String> now = module.current(KvmParameters.KVM_INTEL,
                        new ArrayList<>(cell.l1Parameters().keySet()));
                switched.add(new Switched(l1.getKey(), module, change, now));
            }
        } catch (HostException | InterruptedException | RuntimeException e) {
            restoreAll(switched);
            throw e;
        }
        return switched;
    }

    /** Restores every L1 switched, the last first; the first failure is thrown after all were tried. */
    static void restoreAll(List<Switched> switched) throws HostException, InterruptedException {
        HostException failed = null;
        for (int i = switched.size() - 1; i >= 0; i--) {
            try {
                switched.get(i).module().restore(switched.get(i).change());
            } catch (HostException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** kvm_intel switched on one L1 host of the plan. */
    record Switched(String host, ModuleSwitch module, KvmModuleReload.Change change, Map<String, String> inForce) {
    }

    /** {@code ept=Y enable_shadow_vmcs=N}: parameters as one attribute value. */
    static String text(Map<String, String> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
