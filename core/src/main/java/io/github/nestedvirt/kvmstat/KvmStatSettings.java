package io.github.nestedvirt.kvmstat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a plan captures KVM events on the hypervisors below each measured level.
 *
 * @param capture false turns the capture off
 * @param command the kvm_stat program on the hypervisors (a name on the PATH or an absolute path)
 * @param intervalSeconds kvm_stat's {@code -s} delay between two log lines
 */
public record KvmStatSettings(boolean capture, String command, int intervalSeconds) {

    public KvmStatSettings {
        if (command == null || command.isBlank() || command.contains("\n")) {
            throw new IllegalArgumentException("command: the kvm_stat program, e.g. kvm_stat or /usr/bin/kvm_stat, "
                    + "got '"
                    + command + "'");
        }
        if (intervalSeconds < 1 || intervalSeconds > 60) {
            throw new IllegalArgumentException("intervalSeconds: must be 1 to 60, got " + intervalSeconds);
        }
    }

    /** On, with {@code kvm_stat} from the PATH and a line per second. */
    public static KvmStatSettings defaults() {
        return new KvmStatSettings(true, "kvm_stat", 1);
    }

    @JsonCreator
    static KvmStatSettings fromPlan(@JsonProperty("capture") Boolean capture, @JsonProperty("command") String command,
            @JsonProperty("intervalSeconds") Integer intervalSeconds) {
        return new KvmStatSettings(capture == null || capture, command == null ? "kvm_stat" : command,
                intervalSeconds == null ? 1 : intervalSeconds);
    }
}
