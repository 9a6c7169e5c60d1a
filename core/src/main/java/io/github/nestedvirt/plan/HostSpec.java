package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.result.Level;

/**
 * How to reach one host of a plan: the machine the engine runs on ({@code local: true}) or an SSH
 * target, possibly through other hosts of the plan ({@code ssh.via}).
 *
 * @param level the host's nesting level
 * @param local true for the machine the engine runs on
 * @param ssh SSH access, when not local
 */
public record HostSpec(Level level, boolean local, SshSpec ssh) {

    public HostSpec {
        if (level == null) {
            throw new IllegalArgumentException("level: must be L0, L1 or L2");
        }
        if (local == (ssh != null)) {
            throw new IllegalArgumentException("give either 'local: true' or an 'ssh' section, not "
                    + (local ? "both" : "neither"));
        }
    }

    @JsonCreator
    static HostSpec fromPlan(@JsonProperty(value = "level", required = true) Level level,
            @JsonProperty("local") Boolean local, @JsonProperty("ssh") SshSpec ssh) {
        return new HostSpec(level, Boolean.TRUE.equals(local), ssh);
    }

    public static HostSpec local(Level level) {
        return new HostSpec(level, true, null);
    }
}
