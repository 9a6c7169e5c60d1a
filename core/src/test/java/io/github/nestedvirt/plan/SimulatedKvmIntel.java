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
 * kvm_intel as a map of parameters, for the one thing our machines cannot do for real: reload
 * kvm_intel (they are AMD hosts with no kvm_intel). Values read back as sysfs shows them ({@code Y}/{@code N});
 * the refusals while guests run are the real ones ({@link KvmModuleReload#requireStopped}). Every call is
 * logged, with the guests running at the time.
 */
final class SimulatedKvmIntel {

    final Map<String, String> parameters = new LinkedHashMap<>(Map.of("ept", "Y", "enable_shadow_vmcs", "Y"));
    final List<String> log = new ArrayList<>();
    final CountDownLatch firstSwitch = new CountDownLatch(1);

    /** A switch for any host; all hosts share the one simulated module (plans under test have one L0). */
    ModuleSwitch on(Host host) {
        return new ModuleSwitch() {
            @Override
            public Map<String, String> current(String module, List<String> names) {
                Map<String, String> values = new LinkedHashMap<>();
                names.forEach(name -> values.put(name, parameters.get(name)));
                return values;
            }

            @Override
            public KvmModuleReload.Change apply(String module, Map<String, String> wanted, RunningGuests guests,
                    boolean force) throws KvmModuleException {
                KvmModuleReload.requireStopped(host.name(), module, guests, force);
                Map<String, String> before = current(module, new ArrayList<>(wanted.keySet()));
                set(wanted);
                synchronized (log) {
                    log.add("apply " + sorted(wanted) + " while running: " + guests.own() + guests.foreign());
                }
                firstSwitch.countDown();
                return new KvmModuleReload.Change(module, before, wanted);
            }

            @Override
            public void restore(KvmModuleReload.Change change) {
                set(change.before());
                synchronized (log) {
                    log.add("restore " + sorted(change.before()));
                }
            }
        };
    }

    private synchronized void set(Map<String, String> values) {
        values.forEach((name, value) -> parameters.put(name, value.equals("1") ? "Y" : value.equals("0") ? "N" : value));
    }

    private static String sorted(Map<String, String> values) {
        return new java.util.TreeMap<>(values).toString();
    }
}
