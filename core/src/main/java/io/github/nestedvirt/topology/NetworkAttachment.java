package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a guest's network interface is plugged: a host bridge ({@code br0} for an L1, as in the
 * seed) or a libvirt network ({@code default} for an L2, i.e. {@code virbr0} inside its L1).
 * Exactly one of the two is set once defaults are applied.
 *
 * @param bridge host bridge device, or null
 * @param network libvirt network name, or null
 */
public record NetworkAttachment(String bridge, String network) {

    @JsonCreator
    public NetworkAttachment(@JsonProperty("bridge") String bridge, @JsonProperty("network") String network) {
        this.bridge = bridge;
        this.network = network;
    }

    public static NetworkAttachment bridge(String bridge) {
        return new NetworkAttachment(bridge, null);
    }

    public static NetworkAttachment network(String network) {
        return new NetworkAttachment(null, network);
    }

    /** True for a libvirt network, where the guest's address comes from the network's DHCP leases. */
    public boolean isNetwork() {
        return network != null;
    }
}
