package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * SSH access to a host. The key's passphrase never appears in a plan: it is read from the
 * environment variable named by {@code passphraseEnv}.
 *
 * @param host name or address as seen from the jump host (or from here without one)
 * @param port SSH port, 22 by default
 * @param user login user, {@code root} by default
 * @param identity private key file (OpenSSH format), {@code ~/.ssh/id_ed25519} by default
 * @param passphraseEnv name of the environment variable holding the key's passphrase, if any
 * @param knownHosts known_hosts file, {@code ~/.ssh/known_hosts} by default
 * @param acceptNewHostKey record the key of a host seen for the first time (a changed key is still refused)
 * @param via id of the plan host to jump through, e.g. {@code l1} for an L2
 */
public record SshSpec(String host, int port, String user, String identity, String passphraseEnv, String knownHosts,
        boolean acceptNewHostKey, String via) {

    @JsonCreator
    public SshSpec(@JsonProperty(value = "host", required = true) String host,
            @JsonProperty("port") Integer port,
            @JsonProperty("user") String user,
            @JsonProperty("identity") String identity,
            @JsonProperty("passphraseEnv") String passphraseEnv,
            @JsonProperty("knownHosts") String knownHosts,
            @JsonProperty("acceptNewHostKey") Boolean acceptNewHostKey,
            @JsonProperty("via") String via) {
        this(host, port == null ? 22 : port, user == null ? "root" : user,
                identity == null ? "~/.ssh/id_ed25519" : identity, passphraseEnv,
                knownHosts == null ? "~/.ssh/known_hosts" : knownHosts, Boolean.TRUE.equals(acceptNewHostKey), via);
    }

    public SshSpec {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host: must name the SSH server");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: must be 1..65535, got " + port);
        }
    }
}
