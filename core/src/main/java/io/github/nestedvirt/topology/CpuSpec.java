package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The guest CPU. An L1 needs VMX: host-passthrough passes it through; host-model and a named
 * model get {@code <feature policy='require' name='vmx'/>}, which also lets the L1 migrate
 * between unequal hosts.
 *
 * @param mode host-passthrough (default), host-model or custom
 * @param model the CPU model for custom, e.g. {@code Skylake-Server}; null otherwise
 */
public record CpuSpec(Mode mode, String model) {

    /** libvirt's CPU modes. */
    public enum Mode {
        HOST_PASSTHROUGH, HOST_MODEL, CUSTOM;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A {@code model} without a {@code mode} means {@code custom}. */
    @JsonCreator
    static CpuSpec fromYaml(@JsonProperty("mode") Mode mode, @JsonProperty("model") String model) {
        return new CpuSpec(mode != null ? mode : model != null ? Mode.CUSTOM : Mode.HOST_PASSTHROUGH, model);
    }

    public static CpuSpec custom(String model) {
        return new CpuSpec(Mode.CUSTOM, model);
    }

    public static CpuSpec hostPassthrough() {
        return new CpuSpec(Mode.HOST_PASSTHROUGH, null);
    }
}
