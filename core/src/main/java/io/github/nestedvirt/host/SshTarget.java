package io.github.nestedvirt.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where and how to reach a host over SSH, optionally through a jump host ({@code via}), which
 * is itself an {@code SshTarget}: L2 via L1 via L0 is a chain of any depth.
 *
 * <p>The passphrase is asked for only when the key is loaded and never appears in
 * {@link #toString()}. Build one with {@link #of} and the {@code with...} methods.
 *
 * @param host name or address as seen from the jump host (or from here without one)
 * @param port SSH port
 * @param user login name
 * @param privateKey OpenSSH private key file (RSA, ECDSA or ed25519)
 * @param passphrase gives the key's passphrase, or null for a key without one; called at each
 *        login, it must return a new array every time, which is wiped after use
 * @param knownHosts known_hosts file the host key is checked against
 * @param hostKeyPolicy what to do with a host that has no known_hosts entry
 * @param connectTimeout limit for TCP connect plus SSH handshake and authentication
 * @param keepaliveInterval how often to probe an idle session; zero turns probing off
 * @param keepaliveCountMax unanswered probes after which the session counts as dropped
 * @param via the jump host, or null to connect directly
 */
public record SshTarget(String host, int port, String user, Path privateKey, Supplier<char[]> passphrase,
        Path knownHosts, HostKeyPolicy hostKeyPolicy, Duration connectTimeout, Duration keepaliveInterval,
        int keepaliveCountMax, SshTarget via) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
    /**
     * Two minutes of silence before a session counts as dropped: an L1 under TCG that runs an L2 was
     * seen not scheduling its sshd for 45 and 71 s (soft lockups on its serial console) and then going on.
     */
    public static final int DEFAULT_KEEPALIVE_COUNT_MAX = 8;

    public SshTarget {
        requireText(host, "host");
        requireText(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SSH port of " + host + " must be 1..65535, not " + port);
        }
        Objects.requireNonNull(privateKey, () -> "privateKey of " + user + "@" + host + " is missing");
        Objects.requireNonNull(knownHosts, () -> "knownHosts of " + user + "@" + host
                + " is missing: host keys are always checked");
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout of " + host + " must be positive");
        }
        if (keepaliveInterval == null || keepaliveInterval.isNegative()) {
            throw new IllegalArgumentException("keepaliveInterval of " + host + " must be zero or positive");
        }
        if (keepaliveCountMax < 1) {
            throw new IllegalArgumentException("keepaliveCountMax of " + host + " must be at least 1");
        }
    }

    /** A direct target with the defaults: strict host key checking, no passphrase. */
    public static SshTarget of(String user, String host, int port, Path privateKey, Path knownHosts) {
        return new SshTarget(host, port, user, privateKey, null, knownHosts, HostKeyPolicy.STRICT,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_KEEPALIVE_INTERVAL, DEFAULT_KEEPALIVE_COUNT_MAX, null);
    }

    public SshTarget withPassphrase(Supplier<char[]> newPassphrase) {
        return new SshTarget(host, port, user, privateKey, newPassphrase, knownHosts, hostKeyPolicy,
                connectTimeout, keepaliveInterval, keepaliveCountMax, via);
    }

    public SshTarget withHostKeyPolicy(HostKeyPolicy newPolicy) {
        return new SshTarget(host, port, user, privateKey, passphrase, knownHosts, newPolicy,
                connectTimeout, keepaliveInterval, keepaliveCountMax, via);
    }

    public SshTarget withKnownHosts(Path newKnownHosts) {
        return new SshTarget(host, port, user, privateKey, passphrase, newKnownHosts, hostKeyPolicy,
                connectTimeout, keepaliveInterval, keepaliveCountMax, via);
    }

    public SshTarget withPrivateKey(Path newPrivateKey) {
        return new SshTarget(host, port, user, newPrivateKey, passphrase, knownHosts, hostKeyPolicy,
                connectTimeout, keepaliveInterval, keepaliveCountMax, via);
    }

    public SshTarget withConnectTimeout(Duration newTimeout) {
        return new SshTarget(host, port, user, privateKey, passphrase, knownHosts, hostKeyPolicy,
                newTimeout, keepaliveInterval, keepaliveCountMax, via);
    }

    public SshTarget withKeepalive(Duration newInterval, int newCountMax) {
        return new SshTarget(host, port, user, privateKey, passphrase, knownHosts, hostKeyPolicy,
                connectTimeout, newInterval, newCountMax, via);
    }

    /** The same target reached through {@code jumpHost}. */
    public SshTarget withVia(SshTarget jumpHost) {
        return new SshTarget(host, port, user, privateKey, passphrase, knownHosts, hostKeyPolicy,
                connectTimeout, keepaliveInterval, keepaliveCountMax, jumpHost);
    }

    /** {@code user@host:port}, then {@code via} and the jump chain, e.g. {@code root@l2:22 via root@l1:22}. */
    public String displayName() {
        String self = user + "@" + host + ":" + port;
        return via == null ? self : self + " via " + via.displayName();
    }

    /** Never shows the passphrase. */
    @Override
    public String toString() {
        return "SshTarget[" + displayName() + ", key " + privateKey + (passphrase == null ? "" : " (passphrase set)")
                + ", known_hosts " + knownHosts + ", " + hostKeyPolicy + "]";
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("SSH target field '" + field + "' is empty");
        }
    }
}
