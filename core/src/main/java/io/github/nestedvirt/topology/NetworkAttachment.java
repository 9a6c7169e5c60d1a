package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a guest's network interface is plugged: a host bridge ({@code br0} for an L1, as in the
 * seed) or a libvirt network ({@code default} for an L2, i.e. {@code virbr0} inside its L1).
 * Exactly one of the two is set once defaults are applied.
 *
 * @param bridge host bridge device, or null
 * @param network libvirt network name, or null
 * @param address where a bridged guest's address is found ({@code auto} unless given); null on a
 *     libvirt network, whose DHCP leases tell it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkAttachment(String bridge, String network, AddressSource address) {

    public NetworkAttachment {
        if (bridge != null && network == null && address == null) {
            address = AddressSource.AUTO;
        }
    }

    @JsonCreator
    static NetworkAttachment fromYaml(@JsonProperty("bridge") String bridge, @JsonProperty("network") String network,
            @JsonProperty("address") AddressSource address) {
        return new NetworkAttachment(bridge, network, address);
    }

    public static NetworkAttachment bridge(String bridge) {
        return new NetworkAttachment(bridge, null, AddressSource.AUTO);
    }

    public static NetworkAttachment bridge(String bridge, AddressSource address) {
        return new NetworkAttachment(bridge, null, address);
    }

    public static NetworkAttachment network(String network) {
        return new NetworkAttachment(null, network, null);
    }

    /** True for a libvirt network, where the guest's address comes from the network's DHCP leases. */
    public boolean isNetwork() {
        return network != null;
    }
}
