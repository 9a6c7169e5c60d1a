package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.plan.SshSpec;

/**
 * The host hypervisor: the libvirt URI the L1 guests are created through, and how the engine
 * reaches the machine for files and commands (this machine when {@code ssh} is absent).
 *
 * @param uri libvirt connection URI, {@code qemu:///system} by default
 * @param ssh SSH access to L0, or null for the machine the engine runs on
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

    public boolean isLocal() {
        return ssh == null;
    }
}
