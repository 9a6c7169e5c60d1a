package io.github.nestedvirt.kvm;

import io.github.nestedvirt.facts.KvmParameters;
import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Switches parameters of a host's kvm module ({@code kvm_intel} for the MMU modes and VMCS
 * shadowing of the test plan): the parameters are read-only while the module is loaded, so it is
 * unloaded and loaded again with the wanted values, which are then checked in sysfs. The values
 * before the switch are kept, so {@link #restore} puts them back, also after a failed switch.
 *
 * <p>Unloading the module needs every guest on the host stopped: {@link #apply} refuses while
 * guests of other runs are running, unless forced.
 */
public final class KvmModuleReload implements ModuleSwitch {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

    private final Host host;

    public KvmModuleReload(Host host) {
        this.host = host;
    }

    /**
     * A switch that happened: the module, the values before and the values asked for.
     *
     * @param module e.g. {@code kvm_intel}
     * @param before every changed parameter as it was read before the switch
     * @param after the values asked for
     */
    public record Change(String module, Map<String, String> before, Map<String, String> after) {
    }

    /** The current values of {@code names} in {@code /sys/module/MODULE/parameters}. */
    @Override
    public Map<String, String> current(String module, List<String> names) throws HostException, InterruptedException {
        requireName("module", module);
        StringBuilder script = new StringBuilder("d=").append(Shell.quote("/sys/module/" + module + "/parameters"))
                .append("; if [ ! -d \"$d\" ]; then echo missing; ls -d /sys/module/kvm_* 2>/dev/null; exit 3; fi");
        for (String name : names) {
            requireName("parameter", name);
            script.append("; printf '%s=%s\\n' ").append(Shell.quote(name)).append(" \"$(cat \"$d\"/")
                    .append(Shell.quote(name)).append(" 2>/dev/null)\"");
        }
        CommandResult result = host.run(script.toString(), TIMEOUT);
        if (result.exitStatus() == 3) {
            List<String> loaded = result.stdout().lines().skip(1).map(path -> path.substring(path.lastIndexOf('/') + 1))
                    .toList();
            throw new KvmModuleException(host.name(), module + " is not loaded (loaded: "
                    + (loaded.isEmpty() ? "no kvm module" : String.join(", ", loaded)) + "): its parameters cannot be "
                    + "read or switched on this host; load it with 'modprobe " + module + "' on an "
                    + (module.equals(KvmParameters.KVM_AMD) ? "AMD" : "Intel") + " host");
        }
        result.orThrow(host.name());
        Map<String, String> values = new LinkedHashMap<>();
        result.stdout().lines().forEach(line -> {
            int equals = line.indexOf('=');
            values.put(line.substring(0, equals), line.substring(equals + 1));
        });
        for (String name : names) {
            if (values.getOrDefault(name, "").isEmpty()) {
                throw new KvmModuleException(host.name(), module + " has no parameter '" + name + "'");
            }
        }
        return values;
    }

    /**
     * Reloads {@code module} with {@code wanted} and checks the result in sysfs; on a mismatch the
     * previous values are restored and the switch fails.
     *
     * @param guests what runs on the host now
     * @param force switch even while guests of other runs are running (they are stopped by the kernel)
     */
    @Override
    public Change apply(String module, Map<String, String> wanted, RunningGuests guests, boolean force)
            throws HostException, InterruptedException {
        requireStopped(host.name(), module, guests, force);
        Map<String, String> before = current(module, new ArrayList<>(wanted.keySet()));
        Change change = new Change(module, before, Map.copyOf(wanted));
        reload(module, wanted);
        Map<String, String> now = current(module, new ArrayList<>(wanted.keySet()));
        List<String> wrong = mismatches(wanted, now);
        if (!wrong.isEmpty()) {
            restore(change);
            throw new KvmModuleException(host.name(), module + " did not take " + String.join(", ", wrong)
                    + "; the previous values were restored");
        }
        return change;
    }

    /**
     * Refuses a reload while guests of this run run on the host, or guests of others unless forced.
     *
     * @throws KvmModuleException naming the guests and what to do
     */
    public static void requireStopped(String hostName, String module, RunningGuests guests, boolean force)
            throws KvmModuleException {
        if (!guests.own().isEmpty()) {
            throw new KvmModuleException(hostName, "guests of this run are still running: "
                    + String.join(", ", guests.own()) + "; stop them before switching " + module);
        }
        if (!guests.foreign().isEmpty() && !force) {
            throw new KvmModuleException(hostName, "guests this run does not own are running: "
                    + String.join(", ", guests.foreign()) + "; reloading " + module + " would stop them. Stop them, "
                    + "or force the switch (matrix.force: true) if they may go");
        }
    }

    /** Puts the values of before a {@link #apply switch} back. */
    @Override
    public void restore(Change change) throws HostException, InterruptedException {
        reload(change.module(), change.before());
        List<String> wrong = mismatches(change.before(), current(change.module(),
                new ArrayList<>(change.before().keySet())));
        if (!wrong.isEmpty()) {
            throw new KvmModuleException(host.name(), "restoring " + change.module() + " failed for "
                    + String.join(", ", wrong) + ": reload it by hand with the values in the run's results");
        }
    }

    /** {@code modprobe -r MODULE && modprobe MODULE NAME=VALUE ...}, every word quoted. */
    static String reloadCommand(String module, Map<String, String> parameters) {
        requireName("module", module);
        List<String> load = new ArrayList<>(List.of("modprobe", module));
        parameters.forEach((name, value) -> {
            requireName("parameter", name);
            load.add(name + "=" + value);
        });
        return Shell.command("modprobe", "-r", module) + " && " + Shell.command(load);
    }

    private void reload(String module, Map<String, String> parameters) throws HostException, InterruptedException {
        host.run(reloadCommand(module, parameters), TIMEOUT).orThrow(host.name());
    }

    /** Booleans compare by meaning (sysfs shows {@code Y} for {@code 1}); other values as text. */
    static List<String> mismatches(Map<String, String> wanted, Map<String, String> actual) {
        List<String> wrong = new ArrayList<>();
        wanted.forEach((name, value) -> {
            String is = actual.get(name);
            boolean same = isBoolean(value) && is != null && isBoolean(is)
                    ? KvmParameters.isOn(value) == KvmParameters.isOn(is) : value.equals(is);
            if (!same) {
                wrong.add(name + "=" + value + " (is " + is + ")");
            }
        });
        return wrong;
    }

    private static boolean isBoolean(String value) {
        return value.matches("[YyNn01]");
    }

    private static void requireName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + ": '" + name + "' is not a kernel module or parameter name");
        }
    }
}
