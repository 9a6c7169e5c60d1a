package io.github.nestedvirt.host;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SSH sessions of one engine run: one persistent session per target, each tunneled
 * through the session of its jump host, opened on first use and opened again if it dropped.
 *
 * <p>This pool owns every session it opened; {@link #close()} ends them all, innermost first.
 * Hosts taken from it with {@link #host} share it (e.g. L1 and the L2 behind L1).
 *
 * <p>Logins are serialised: while one session is being opened, other hosts of the pool wait for
 * theirs. Keepalive probes run on sessions with a TCP connection of their own; a tunneled
 * session has none, and relies on its jump session's probes and on the jump host closing the
 * tunnel when its own connection to the target breaks.
 */
public final class SshConnections implements AutoCloseable {

    private final Map<SshTarget, Session> sessions = new LinkedHashMap<>();
    private boolean closed;

    /** A host that runs its commands over this pool's session for {@code target}; connects lazily. */
    public SshHost host(SshTarget target) {
        return new SshHost(target, this, false);
    }

    /**
     * The connected session for {@code target}, connecting it (and its jump hosts) if there is none
     * or the previous one dropped.
     */
    synchronized Session session(SshTarget target) throws HostException {
        if (closed) {
            throw new HostException(target.displayName(), "SSH connections are closed");
        }
        Session existing = sessions.get(target);
        if (existing != null && existing.isConnected()) {
            return existing;
        }
        if (existing != null) {
            existing.disconnect();
            sessions.remove(target);
        }
        Session jump = target.via() == null ? null : session(target.via());
        Session fresh = connect(target, jump);
        sessions.put(target, fresh);
        return fresh;
    }

    /** Ends the session of {@code target} unless a session tunneled through it is still open. */
    synchronized void release(SshTarget target) {
        boolean carriesOthers = sessions.entrySet().stream()
                .anyMatch(e -> target.equals(e.getKey().via()) && e.getValue().isConnected());
        if (!carriesOthers) {
            Session session = sessions.remove(target);
            if (session != null) {
                session.disconnect();
            }
        }
    }

    /** Ends every session, those behind jump hosts before the jump hosts themselves. */
    @Override
    public synchronized void close() {
        closed = true;
        List<SshTarget> targets = new ArrayList<>(sessions.keySet());
        targets.sort(Comparator.comparingInt(SshConnections::depth).reversed());
        for (SshTarget target : targets) {
            sessions.remove(target).disconnect();
        }
    }

    private static int depth(SshTarget target) {
        return target.via() == null ? 0 : 1 + depth(target.via());
    }

    private static Session connect(SshTarget target, Session jump) throws HostException {
        String name = target.displayName();
        JSch jsch = new JSch();
        CheckedHostKeys hostKeys;
        try {
            if (target.hostKeyPolicy() == HostKeyPolicy.RECORD_NEW && !Files.exists(target.knownHosts())) {
                // JSch only writes a newly recorded key into a file that exists.
                Files.createFile(target.knownHosts());
            }
            jsch.setKnownHosts(target.knownHosts().toString());
            hostKeys = new CheckedHostKeys(jsch.getHostKeyRepository(), target.hostKeyPolicy());
            addIdentity(jsch, target);
        } catch (IOException | JSchException e) {
            throw new HostUnreachableException(name, "cannot read known_hosts " + target.knownHosts() + ": " + e.getMessage(), e);
        }
        Session session;
        try {
            session = jsch.getSession(target.user(), target.host(), target.port());
            session.setHostKeyRepository(hostKeys);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            if (!target.keepaliveInterval().isZero()) {
                session.setServerAliveInterval((int) target.keepaliveInterval().toMillis());
                session.setServerAliveCountMax(target.keepaliveCountMax());
            }
            if (jump != null) {
                session.setProxy(new JumpProxy(jump));
            }
        } catch (JSchException e) {
            throw new HostUnreachableException(name, "cannot set up SSH session: " + e.getMessage(), e);
        }
        try {
            session.connect((int) target.connectTimeout().toMillis());
            return session;
        } catch (JSchException e) {
            session.disconnect();
            throw refusal(target, hostKeys, e);
        }
    }

    private static void addIdentity(JSch jsch, SshTarget target) throws HostException {
        String name = target.displayName();
        byte[] key;
        try {
            key = Files.readAllBytes(target.privateKey());
        } catch (IOException e) {
            throw new HostUnreachableException(name, "cannot read private key " + target.privateKey() + ": " + e);
        }
        byte[] passphrase = target.passphrase() == null ? null : utf8(target.passphrase().get());
        try {
            jsch.addIdentity(target.privateKey().toString(), key, null, passphrase);
        } catch (JSchException e) {
            throw new HostUnreachableException(name, "private key " + target.privateKey() + " cannot be used ("
                    + e.getMessage() + "): is it an OpenSSH RSA, ECDSA or ed25519 key, and is the passphrase right?", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (passphrase != null) {
                Arrays.fill(passphrase, (byte) 0);
            }
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] result = Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
        Arrays.fill(bytes.array(), (byte) 0);
        Arrays.fill(chars, '\0');
        return result;
    }

    /** Turns JSch's failure into a message that says what happened and what to do. */
    private static HostUnreachableException refusal(SshTarget target, CheckedHostKeys hostKeys, JSchException e) {
        String name = target.displayName();
        String address = target.host() + ":" + target.port();
        if (e instanceof JSchHostKeyException) {
            String fingerprint = hostKeys.presentedFingerprint();
            if (e instanceof JSchChangedHostKeyException) {
                return new HostUnreachableException(name, "host key of " + address + " has CHANGED: it presented "
                        + fingerprint + ", which differs from its entry in " + target.knownHosts()
                        + ". Refused. If the host was reinstalled, remove the old entry (ssh-keygen -R) and add the new key;"
                        + " otherwise someone may be intercepting the connection.", e);
            }
            return new HostUnreachableException(name, "host key of " + address + " is unknown: it presented "
                    + fingerprint + ", which is not in " + target.knownHosts()
                    + ". Refused. Add the host's key to that file after checking the fingerprint,"
                    + " or opt in to recording new keys (HostKeyPolicy.RECORD_NEW).", e);
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Auth fail") || message.contains("Auth cancel")) {
            return new HostUnreachableException(name, "authentication as " + target.user() + " on " + address
                    + " with key " + target.privateKey() + " was refused: add its public key to ~"
                    + target.user() + "/.ssh/authorized_keys there, or name the right key.", e);
        }
        String through = target.via() == null ? "" : " through jump host " + target.via().displayName();
        return new HostUnreachableException(name, "cannot connect to " + address + through + ": " + message
                + (e.getCause() != null ? " (" + e.getCause() + ")" : ""), e);
    }
}
