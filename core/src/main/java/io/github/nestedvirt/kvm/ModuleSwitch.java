package io.github.nestedvirt.kvm;

import io.github.nestedvirt.host.HostException;
import java.util.List;
import java.util.Map;

/** Reads and switches the parameters of one host's kvm module; {@link KvmModuleReload} does it for real. */
public interface ModuleSwitch {

    /** The current values of {@code names} of {@code module}. */
    Map<String, String> current(String module, List<String> names) throws HostException, InterruptedException;

    /**
     * Reloads {@code module} with {@code wanted}, refusing while guests this run does not own are running
     * unless {@code force}; returns the values before and after.
     */
    KvmModuleReload.Change apply(String module, Map<String, String> wanted, RunningGuests guests, boolean force)
            throws HostException, InterruptedException;

    /** Puts the values of before {@code change} back. */
    void restore(KvmModuleReload.Change change) throws HostException, InterruptedException;
}
