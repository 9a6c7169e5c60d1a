package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where the engine learns the IPv4 address of a guest on a host bridge, which no libvirt DHCP
 * server leases: the QEMU guest agent inside the guest, or L0's ARP table. {@code auto} asks the
 * agent and falls back to ARP while the agent does not answer (a guest without one never does).
 */
public enum AddressSource {
    AUTO("auto"), AGENT("agent"), ARP("arp");

    private final String text;

    AddressSource(String text) {
        this.text = text;
    }

    /** Whether the domain needs a guest agent channel. */
    public boolean usesAgent() {
        return this != ARP;
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }
}
