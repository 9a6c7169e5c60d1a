package io.github.nestedvirt.provision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.result.Level;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One guest that is up and answers SSH, as benchmarks need it: where it is and how to log in.
 * The key's passphrase is never stored: only the name of the environment variable holding it.
 *
 * @param name libvirt domain name
 * @param level L1 (or L2, reached through its L1; L0 for a remote L0 as the route to its L1s)
 * @param address IPv4 address the engine reaches it at
 * @param user SSH login user
 * @param port SSH port
 * @param identity private key file
 * @param passphraseEnv environment variable with the key's passphrase, or null
 * @param knownHosts known_hosts file its host key is checked against
 * @param hostKeyPolicy how a key not yet in known_hosts is treated
 * @param via the guest to jump through (an L2's L1), or null (an L1: directly, or through a remote L0)
 * @param secondsToReady from the start of its provisioning to the first SSH command that ran
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProvisionedGuest(String name, Level level, String address, String user, int port, String identity,
        String passphraseEnv, String knownHosts, HostKeyPolicy hostKeyPolicy, String via, double secondsToReady) {

    public ProvisionedGuest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(address, "address");
    }

    /**
     * The SSH target of this guest (without a jump host; {@link ProvisionedTopology#sshTarget}
     * adds the route through {@code via}). The passphrase is read from the environment at login.
     */
    @JsonIgnore
    public SshTarget directTarget() {
        SshTarget target = SshTarget.of(user, address, port, Path.of(identity), Path.of(knownHosts))
                .withHostKeyPolicy(hostKeyPolicy);
        if (passphraseEnv != null) {
            String variable = passphraseEnv;
            target = target.withPassphrase(() -> {
                String value = System.getenv(variable);
                if (value == null) {
                    throw new IllegalArgumentException(name + ".ssh.passphraseEnv: the environment variable " + variable
                            + " is not set; export it with the key's passphrase");
                }
                return value.toCharArray();
            });
        }
        return target;
    }
}
