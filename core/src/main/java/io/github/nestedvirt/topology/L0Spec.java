package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.plan.SshSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The host hypervisor: the libvirt URI the L1 guests are created through, and how the engine
 * reaches the machine for files and commands (this machine when neither {@code ssh} nor a host
 * in {@code uri} names another one).
 *
 * <p>A remote L0's libvirt is always reached over the engine's own SSH session to it (its host
 * key checked), whatever transport the URI names; so its URI must be {@code qemu+ssh}.
 *
 * @param uri libvirt connection URI, {@code qemu:///system} by default
 * @param ssh SSH access to L0, or null for this machine (or the user, host and port of a {@code qemu+ssh} URI)
 */
public record L0Spec(String uri, SshSpec ssh) {

    public static final String DEFAULT_URI = "qemu:///system";

    @JsonCreator
    public L0Spec(@JsonProperty("uri") String uri, @JsonProperty("ssh") SshSpec ssh) {
        this.uri = uri != null ? uri : DEFAULT_URI;
        this.ssh = ssh;
    }

    /** {@code qemu:///system} on the machine the engine runs on. */
    public static L0Spec local() {
        return new L0Spec(null, null);
    }

    /** Whether L0 is the machine the engine runs on. */
    @JsonIgnore
    public boolean isLocal() {
        return ssh == null && uriHost() == null;
    }

    /**
     * How the engine logs in to a remote L0: {@code ssh}, or else the user (root by default), host
     * and port of the {@code qemu+ssh} URI with the default key and known_hosts files.
     *
     * @throws IllegalStateException for a local L0
     */
    public SshSpec access() {
        if (ssh != null) {
            return ssh;
        }
        URI parsed = parsed();
        if (parsed == null || parsed.getHost() == null) {
            throw new IllegalStateException("L0 is this machine; it has no SSH access");
        }
        return new SshSpec(parsed.getHost(), parsed.getPort() < 0 ? null : parsed.getPort(), parsed.getUserInfo(),
                null, null, null, null, null);
    }

    /** What is wrong with this L0's access, one message per problem naming the field; empty when none. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        URI parsed = parsed();
        if (parsed == null) {
            problems.add("l0.uri: '" + uri + "' is not a libvirt URI; e.g. qemu:///system or qemu+ssh://root@HOST/system");
            return problems;
        }
        if (uriHost() == null && ssh == null) {
            return problems;
        }
        if (uriHost() != null && !"qemu+ssh".equals(parsed.getScheme())) {
            problems.add("l0.uri: " + uri + " reaches a remote L0 by " + parsed.getScheme() + "; the engine reaches"
                    + " a remote L0's libvirt over SSH only: use qemu+ssh://USER@HOST/system, or l0.ssh with"
                    + " uri qemu:///system");
        }
        if (!"/system".equals(parsed.getPath())) {
            problems.add("l0.uri: " + uri + " names libvirt's " + parsed.getPath() + " daemon; on a remote L0 the"
                    + " guests are made in the system daemon: end the URI with /system");
        }
        if (ssh != null && uriHost() != null && !uriHost().equals(ssh.host())) {
            problems.add("l0.uri: " + uri + " names host " + uriHost() + " but l0.ssh.host is " + ssh.host()
                    + "; name the same L0 in both, or leave one out");
        }
        if (ssh != null && ssh.via() != null) {
            problems.add("l0.ssh.via: a remote L0 is reached directly from the engine; remove via");
        }
        return problems;
    }

    private String uriHost() {
        URI parsed = parsed();
        return parsed == null || parsed.getHost() == null || parsed.getHost().isEmpty() ? null : parsed.getHost();
    }

    private URI parsed() {
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
