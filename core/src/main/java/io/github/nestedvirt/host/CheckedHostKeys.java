package io.github.nestedvirt.host;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The known_hosts file of one target, with the {@link HostKeyPolicy} applied, remembering the
 * key the server presented so that a refusal can name its fingerprint.
 */
final class CheckedHostKeys implements HostKeyRepository {

    private final HostKeyRepository knownHosts;
    private final HostKeyPolicy policy;
    private volatile byte[] presented;

    CheckedHostKeys(HostKeyRepository knownHosts, HostKeyPolicy policy) {
        this.knownHosts = knownHosts;
        this.policy = policy;
    }

    @Override
    public int check(String host, byte[] key) {
        presented = key.clone();
        int result = knownHosts.check(host, key);
        // A host that has any entry (even of another key type) is never re-recorded: that is a change.
        if (result == NOT_INCLUDED && policy == HostKeyPolicy.RECORD_NEW
                && knownHosts.getHostKey(host, null).length == 0) {
            try {
                knownHosts.add(new HostKey(host, key), null);
                return OK;
            } catch (JSchException e) {
                return NOT_INCLUDED;
            }
        }
        return result;
    }

    /** OpenSSH-style fingerprint of the last presented key, e.g. {@code SHA256:q2x...}; null before any check. */
    String presentedFingerprint() {
        byte[] key = presented;
        return key == null ? null : fingerprint(key);
    }

    /** {@code SHA256:} and the unpadded base64 of the SHA-256 of the key blob, as {@code ssh-keygen -l} prints it. */
    static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + new String(Base64.getEncoder().withoutPadding().encode(digest), StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        knownHosts.add(hostkey, ui);
    }

    @Override
    public void remove(String host, String type) {
        knownHosts.remove(host, type);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        knownHosts.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHosts.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return knownHosts.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return knownHosts.getHostKey(host, type);
    }
}
