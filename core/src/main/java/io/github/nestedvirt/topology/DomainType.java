package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** libvirt's domain type: {@code kvm}, or {@code qemu} (TCG emulation, allowed only explicitly). */
public enum DomainType {
    KVM, QEMU;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
