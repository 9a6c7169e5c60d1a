package io.github.nestedvirt.plan;

import io.github.nestedvirt.facts.KvmParameters;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.kvm.KvmModuleReload;
import io.github.nestedvirt.kvm.ModuleSwitch;
import io.github.nestedvirt.kvm.RunningGuests;
import io.github.nestedvirt.provision.ProvisionedGuest;
import io.github.nestedvirt.provision.Provisioner;
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
 * The L1 part of a cell is switched in each L1 host ({@link #switchL1s}), in the topology's L1s
 * while they are provisioned ({@link DuringProvisioning}), and restored at the end of the cell.
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
                switched.add(switchL1(l1.getKey(), l1.getValue(), switches, cell, force));
            }
        } catch (HostException | InterruptedException | RuntimeException e) {
            restoreAll(switched);
            throw e;
        }
        return switched;
    }

    /** Switches kvm_intel in one L1 (refused while guests this run does not own run there, unless forced). */
    private static Switched switchL1(String id, Host l1, Function<Host, ModuleSwitch> switches, PlanMatrix.Cell cell,
            boolean force) throws HostException, InterruptedException {
        ModuleSwitch module = switches.apply(l1);
        KvmModuleReload.Change change = module.apply(KvmParameters.KVM_INTEL, cell.l1Parameters(),
                RunningGuests.listedByVirsh(l1), force);
        Map<String, String> now = module.current(KvmParameters.KVM_INTEL, new ArrayList<>(cell.l1Parameters().keySet()));
        return new Switched(id, module, change, now);
    }

    /**
     * The L1 part of a cell for the L1 guests of the plan's topology, switched while they are
     * provisioned: in each L1 as soon as it answers SSH, before its L2s exist, since the module
     * reload would stop them. Each L1 is named by the plan host that names its guest; an L1 no
     * plan host names is left alone. {@link #restore} puts every switched L1 back and closes the
     * sessions; it must run before the L1s are torn down.
     */
    static final class DuringProvisioning implements Provisioner.BeforeL2s {

        private final Map<String, String> hostIds;
        private final Function<Host, ModuleSwitch> switches;
        private final PlanMatrix.Cell cell;
        private final boolean force;
        private final Progress progress;
        private final List<Switched> switched = new ArrayList<>();
        private final List<SshHost> sessions = new ArrayList<>();

        /** @param hostIds the plan host id of each L1 guest the plan names, by guest name */
        DuringProvisioning(Map<String, String> hostIds, Function<Host, ModuleSwitch> switches, PlanMatrix.Cell cell,
                boolean force, Progress progress) {
            this.hostIds = Map.copyOf(hostIds);
            this.switches = switches;
            this.cell = cell;
            this.force = force;
            this.progress = progress;
        }

        /** The plan host ids this switches, by the name of their guest. */
        Set<String> hostIds() {
            return Set.copyOf(hostIds.values());
        }

        @Override
        public void l1Ready(ProvisionedGuest l1, SshTarget target) throws HostException, InterruptedException {
            String id = hostIds.get(l1.name());
            if (id == null || cell.l1Parameters().isEmpty()) {
                return;
            }
            progress.info(id + " (" + l1.name() + "): kvm_intel " + text(cell.l1Parameters()) + " before its L2s exist");
            SshHost host = SshHost.connect(target);
            Switched one;
            try {
                one = switchL1(id, host, switches, cell, force);
            } catch (HostException | InterruptedException | RuntimeException e) {
                host.close(); // nothing switched there: nothing to restore through it
                throw e;
            }
            synchronized (this) {
                sessions.add(host);
                switched.add(one);
            }
        }

        /** What was switched, in the order it was. */
        synchronized List<Switched> switched() {
            return List.copyOf(switched);
        }

        /** Restores every switched L1, the last first, and closes the sessions; safe to call again. */
        synchronized void restore() throws HostException, InterruptedException {
            try {
                restoreAll(switched);
            } finally {
                switched.clear();
                sessions.forEach(SshHost::close);
                sessions.clear();
            }
        }
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
