package io.github.nestedvirt.plan;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.SshConnections;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.provision.ProvisionedTopology;
import io.github.nestedvirt.result.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The live hosts of a plan, by id. SSH hosts share one pool of sessions, so an L2 reached through
 * an L1 reuses the L1's session; {@link #close()} ends them all.
 */
public final class Hosts implements AutoCloseable {

    private final Map<String, HostSpec> specs;
    private final Map<String, Host> open = new HashMap<>();
    private final Map<String, SshTarget> targets = new HashMap<>();
    private final SshConnections connections = new SshConnections();
    private final ProvisionedTopology provisioned;

    public Hosts(Map<String, HostSpec> specs) {
        this(specs, null);
    }

    /**
     * @param provisioned the guests a run provisioned, for hosts given as {@code guest: NAME}; or null
     */
    public Hosts(Map<String, HostSpec> specs, ProvisionedTopology provisioned) {
        this.specs = new LinkedHashMap<>(specs);
        this.provisioned = provisioned;
    }

    /** The host with this id, connected on first use. */
    public synchronized Host get(String id) {
        return open.computeIfAbsent(id, key -> spec(key).local() ? new LocalHost() : connections.host(target(key)));
    }

    /**
     * The host with this id on SSH sessions of the given pool rather than the shared one (jump
     * hosts included), so that while it hangs reconnecting it holds up no other host: logins are
     * serialised within a pool. Closing {@code connections} ends its sessions.
     */
    public synchronized Host isolated(String id, SshConnections connections) {
        return spec(id).local() ? new LocalHost() : connections.host(target(id));
    }

    public Level level(String id) {
        return spec(id).level();
    }

    private HostSpec spec(String id) {
        HostSpec spec = specs.get(id);
        if (spec == null) {
            throw new IllegalArgumentException("no host '" + id + "'; known hosts: " + String.join(", ", specs.keySet()));
        }
        return spec;
    }

    private SshTarget target(String id) {
        SshTarget known = targets.get(id);
        if (known != null) {
            return known;
        }
        HostSpec host = spec(id);
        if (host.guest() != null) {
            if (provisioned == null) {
                throw new IllegalArgumentException("hosts." + id + ".guest: no guest was provisioned for this run");
            }
            SshTarget guest = provisioned.sshTarget(host.guest());
            targets.put(id, guest);
            return guest;
        }
        SshSpec ssh = host.ssh();
        SshTarget via = ssh.via() == null || specs.get(ssh.via()).local() ? null : target(ssh.via());
        SshTarget target = SshTarget.of(ssh.user(), ssh.host(), ssh.port(), path(ssh.identity()), path(ssh.knownHosts()))
                .withHostKeyPolicy(ssh.acceptNewHostKey() ? HostKeyPolicy.RECORD_NEW : HostKeyPolicy.STRICT);
        if (ssh.passphraseEnv() != null) {
            target = target.withPassphrase(passphrase(id, ssh.passphraseEnv()));
        }
        if (via != null) {
            target = target.withVia(via);
        }
        targets.put(id, target);
        return target;
    }

    /** Read when the key is loaded, so the passphrase never sits in a plan, a log or a field. */
    private static Supplier<char[]> passphrase(String id, String variable) {
        return () -> {
            String value = System.getenv(variable);
            if (value == null) {
                throw new IllegalArgumentException("hosts." + id + ".ssh.passphraseEnv: the environment variable "
                        + variable + " is not set; export it with the key's passphrase");
            }
            return value.toCharArray();
        };
    }

    private static Path path(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + value.substring(1));
        }
        return Path.of(value);
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Host::close);
        open.clear();
        connections.close();
    }
}
