package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.host.HostUnreachableException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.plan.SshSpec;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.L0Spec;
import java.io.IOException;
import java.nio.file.Path;
import org.libvirt.Connect;

/**
 * The L0 the L1s are provisioned on, as the provisioner uses it: its libvirt, the host its files
 * (serial logs, seed images) and commands are on, and the name the record gives both. This
 * machine's for a local L0. A remote L0 is reached over one SSH session of the engine, its host
 * key checked; its libvirt through a {@link RemoteLibvirt} relay on that session, recorded under
 * the {@code qemu+ssh} URI that names the same daemon.
 */
final class L0Connection {

    /** The name of a remote L0 in {@code provisioned.json}. */
    static final String NAME = "l0";

    private final Host host;
    private final String where;
    private final RemoteLibvirt relay;
    private final ProvisionedGuest route;

    private L0Connection(Host host, String where, RemoteLibvirt relay, ProvisionedGuest route) {
        this.host = host;
        this.where = where;
        this.relay = relay;
        this.route = route;
    }

    /**
     * Connects to L0. A remote L0's connection goes to {@code lifecycle} at once, which closes it
     * after teardown (or hand-over) and removes what is recorded on that L0 through it.
     *
     * @throws HostUnreachableException naming {@code l0} and the host when SSH fails (unreachable, wrong host key, refused key)
     */
    static L0Connection open(L0Spec l0, Lifecycle lifecycle) throws HostException, IOException {
        if (l0.isLocal()) {
            return new L0Connection(new LocalHost(), l0.uri(), null, null);
        }
        ProvisionedGuest route = asRoute(l0.access());
        SshTarget target = route.directTarget();
        SshHost ssh;
        try {
            ssh = SshHost.connect(target);
        } catch (HostException e) {
            throw new HostUnreachableException(target.displayName(), "l0: cannot reach the remote L0 "
                    + target.displayName() + " over SSH, so nothing was created there: " + e.getMessage()
                    + "; check l0.ssh (or the host in l0.uri), that the key " + target.privateKey()
                    + " is authorized there, and that L0's host key is in " + target.knownHosts(), e);
        }
        RemoteLibvirt relay;
        try {
            relay = RemoteLibvirt.open(ssh);
        } catch (IOException e) {
            ssh.close();
            throw e;
        }
        String where = relay.recordedUri();
        lifecycle.reachRemote(where, uri -> new Connect(relay.uri()), ssh, () -> {
            relay.close();
            ssh.close();
        });
        return new L0Connection(ssh, where, relay, route);
    }

    /** L0 as the route to its L1s: the host of its SSH access, under the name {@value #NAME}. */
    static ProvisionedGuest asRoute(SshSpec ssh) {
        return new ProvisionedGuest(NAME, Level.L0, ssh.host(), ssh.user(), ssh.port(),
                Provisioner.homePath(ssh.identity()).toString(), ssh.passphraseEnv(),
                Provisioner.homePath(ssh.knownHosts()).toString(),
                ssh.acceptNewHostKey() ? HostKeyPolicy.RECORD_NEW : HostKeyPolicy.STRICT, null, 0);
    }

    boolean isLocal() {
        return relay == null;
    }

    /** Where L0's files are, and its commands run. */
    Host host() {
        return host;
    }

    /** The libvirt URI recorded with L0's domains and volumes, and shown in messages. */
    String where() {
        return where;
    }

    /** A new libvirt session on L0 (one per worker thread: libvirt keeps its last error per thread). */
    LibvirtSession session() throws LibvirtFailedException {
        return relay == null ? LibvirtSession.open(where) : relay.session();
    }

    /** The serial log of an L1, a file on L0. */
    ConsoleLog serialLog(String file) {
        return relay == null ? new SerialLog(Path.of(file)) : new RemoteSerialLog(host, file);
    }

    /** A remote L0 as the route to its L1s (its {@link ProvisionedGuest#directTarget()}); null for this machine. */
    ProvisionedGuest route() {
        return route;
    }
}
