package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.github.nestedvirt.result.Level;
import java.util.List;

/**
 * The test bed of the nVMX plan: an L0 host, its L1 guest hypervisors and their L2 nested guests,
 * with the seed's defaults applied. Read it with {@link TopologyReader}, which also validates it.
 *
 * @param l0 the host hypervisor
 * @param l1 the guest hypervisors, each with its nested guests
 */
public record Topology(L0Spec l0, List<GuestSpec> l1) {

    public Topology {
        l0 = l0 != null ? l0 : L0Spec.local();
        l1 = l1 == null ? List.of() : List.copyOf(l1);
    }

    @JsonCreator
    static Topology fromYaml(
            @JsonPropertyDescription("The host hypervisor: libvirt uri (default qemu:///system) and ssh,"
                    + " or nothing for the agent's own machine.")
            @JsonProperty("l0") L0Spec l0,
            @JsonPropertyDescription("The L1 guest hypervisors, each a map of name, vcpus, memory, disk,"
                    + " network, cpu, ... and its l2 guests (see docs/topology.md).")
            @JsonProperty(value = "l1", required = true) List<GuestSpec> l1) {
        return new Topology(l0, l1 == null ? null : l1.stream().map(guest -> guest.withDefaults(Level.L1)).toList());
    }
}
