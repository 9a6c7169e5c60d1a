package io.github.nestedvirt.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.result.Level;

/**
 * How to reach one host of a plan: the machine the engine runs on ({@code local: true}), an SSH
 * target, possibly through other hosts of the plan ({@code ssh.via}), or a guest of the plan's
 * topology that the run provisions ({@code guest: NAME}).
 *
 * @param level the host's nesting level
 * @param local true for the machine the engine runs on
 * @param ssh SSH access to an existing host
 * @param guest the name of a guest of the plan's topology
 */
public record HostSpec(Level level, boolean local, SshSpec ssh, String guest) {

    public HostSpec {
        if (level == null) {
            throw new IllegalArgumentException("level: must be L0, L1 or L2");
        }
        int kinds = (local ? 1 : 0) + (ssh != null ? 1 : 0) + (guest != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("give exactly one of 'local: true', an 'ssh' section or 'guest: NAME' "
                    + "(a guest of the plan's topology), not " + (kinds == 0 ? "none" : "several"));
        }
    }

    public HostSpec(Level level, boolean local, SshSpec ssh) {
        this(level, local, ssh, null);
    }

    @JsonCreator
    static HostSpec fromPlan(@JsonProperty(value = "level", required = true) Level level,
            @JsonProperty("local") Boolean local, @JsonProperty("ssh") SshSpec ssh,
            @JsonProperty("guest") String guest) {
        return new HostSpec(level, Boolean.TRUE.equals(local), ssh, guest);
    }

    public static HostSpec local(Level level) {
        return new HostSpec(level, true, null, null);
    }
}
