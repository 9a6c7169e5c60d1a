package io.github.nestedvirt.plan;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.kvm.KvmModuleException;
import io.github.nestedvirt.kvm.KvmModuleReload;
import io.github.nestedvirt.kvm.ModuleSwitch;
import io.github.nestedvirt.kvm.RunningGuests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * kvm_intel as a map of parameters per host, for the one thing our machines cannot do for real:
 * reload kvm_intel (they are AMD hosts with no kvm_intel). Each host object gets its own module
 * starting at {@code ept=Y enable_shadow_vmcs=Y}, numbered in the order first seen (the plan's L0 is
 * checked first, so it is host 0; an L1 connected afresh in each cell is a new host, as a
 * re-provisioned guest is). Values read back as sysfs shows them ({@code Y}/{@code N}); the refusals while
 * guests run are the real ones ({@link KvmModuleReload#requireStopped}). Every switch is logged.
 */
public final class SimulatedKvmIntel {

    private final List<Host> hosts = new ArrayList<>();
    private final List<Map<String, String>> modules = new ArrayList<>();
    public final List<String> log = new ArrayList<>();
    final CountDownLatch firstSwitch = new CountDownLatch(1);

    /** The parameters of the {@code index}th host seen. */
    public synchronized Map<String, String> parameters(int index) {
        return Map.copyOf(modules.get(index));
    }

    /** A switch for {@code host}. */
    public synchronized ModuleSwitch on(Host host) {
        int found = -1;
        for (int i = 0; i < hosts.size(); i++) {
            found = hosts.get(i) == host ? i : found;
        }
        if (found < 0) {
            hosts.add(host);
            modules.add(new LinkedHashMap<>(Map.of("ept", "Y", "enable_shadow_vmcs", "Y")));
            found = hosts.size() - 1;
        }
        int index = found;
        return new ModuleSwitch() {
            @Override
            public Map<String, String> current(String module, List<String> names) {
                synchronized (SimulatedKvmIntel.this) {
                    Map<String, String> values = new LinkedHashMap<>();
                    names.forEach(name -> values.put(name, modules.get(index).get(name)));
                    return values;
                }
            }

            @Override
            public KvmModuleReload.Change apply(String module, Map<String, String> wanted, RunningGuests guests,
                    boolean force) throws KvmModuleException {
                KvmModuleReload.requireStopped(host.name(), module, guests, force);
                Map<String, String> before = current(module, new ArrayList<>(wanted.keySet()));
                set(index, wanted, "apply " + sorted(wanted) + " while running: " + guests.own() + guests.foreign());
                firstSwitch.countDown();
                return new KvmModuleReload.Change(module, before, wanted);
            }

            @Override
            public void restore(KvmModuleReload.Change change) {
                set(index, change.before(), "restore " + sorted(change.before()));
            }
        };
    }

    private synchronized void set(int index, Map<String, String> values, String what) {
        values.forEach((name, value) -> modules.get(index).put(name,
                value.equals("1") ? "Y" : value.equals("0") ? "N" : value));
        log.add(index + ": " + what);
    }

    private static String sorted(Map<String, String> values) {
        return new java.util.TreeMap<>(values).toString();
    }
}
