package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the engine logs into a guest once it has an address. The key's passphrase never appears in
 * a topology: it comes from the environment variable named by {@code passphraseEnv}.
 *
 * @param user login user, root by default
 * @param port SSH port, 22 by default
 * @param identity private key file (OpenSSH format), {@code ~/.ssh/id_ed25519} by default
 * @param publicKey the public key file injected into the guest, {@code identity + ".pub"} by default
 * @param passphraseEnv environment variable holding the key's passphrase, or null
 * @param knownHosts known_hosts file the guest's host key is checked against
 * @param acceptNewHostKey record the key of a guest seen for the first time (a fresh guest has a
 *        new key; a changed key is always refused)
 */
public record GuestSsh(String user, int port, String identity, String publicKey, String passphraseEnv,
        String knownHosts, boolean acceptNewHostKey) {

    @JsonCreator
    static GuestSsh fromYaml(@JsonProperty("user") String user,
            @JsonProperty("port") Integer port,
            @JsonProperty("identity") String identity,
            @JsonProperty("publicKey") String publicKey,
            @JsonProperty("passphraseEnv") String passphraseEnv,
            @JsonProperty("knownHosts") String knownHosts,
            @JsonProperty("acceptNewHostKey") Boolean acceptNewHostKey) {
        String key = identity != null ? identity : "~/.ssh/id_ed25519";
        return new GuestSsh(user != null ? user : "root", port != null ? port : 22, key,
                publicKey != null ? publicKey : key + ".pub", passphraseEnv,
                knownHosts != null ? knownHosts : "~/.ssh/known_hosts",
                acceptNewHostKey == null || acceptNewHostKey);
    }

    /** root, port 22, {@code ~/.ssh/id_ed25519}, new guests' host keys recorded. */
    public static GuestSsh defaults() {
        return fromYaml(null, null, null, null, null, null, null);
    }
}
