package io.github.nestedvirt.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.nestedvirt.result.Level;
import java.util.List;

/**
 * One guest of a topology: an L1 guest hypervisor (with its L2 nested guests) or an L2. As read,
 * values not given are unset; {@link Topology} fills them with the seed's defaults for the level
 * (L1: 4 vCPUs, 4 GiB, bridge {@code br0}; L2: 2 vCPUs, 2 GiB, libvirt network {@code default};
 * both {@code kvm} with a host-passthrough CPU, or the {@code qemu64} model under TCG, where
 * host-passthrough does not exist).
 *
 * @param level L1 or L2; set from where the guest stands in the topology
 * @param name libvirt domain name, also the guest's host name
 * @param vcpus virtual CPUs
 * @param memory guest memory
 * @param disk the guest's disk volume
 * @param network where its interface is plugged
 * @param cpu guest CPU mode
 * @param domainType {@code kvm}, or {@code qemu} (TCG) with {@code allowTcg}
 * @param allowTcg whether {@code domainType: qemu} is wanted
 * @param tbCache size of TCG's translation cache ({@code domainType: qemu} only), or null for QEMU's
 *     own (1 GiB on x86_64 since QEMU 5.0, allocated as code is translated: an L2 under TCG can take
 *     that much of its L1's memory on top of its own)
 * @param ssh how the engine logs in
 * @param keyInjection how the SSH key gets into the guest
 * @param boot direct kernel boot, or null to boot from the disk
 * @param serialLog file on the guest's host that receives the serial console
 * @param packages what the engine may install in an L1 for its L2s
 * @param l2 the nested guests of an L1; empty for an L2
 */
public record GuestSpec(Level level, String name, int vcpus, Size memory, DiskSpec disk, NetworkAttachment network,
        CpuSpec cpu, DomainType domainType, boolean allowTcg, Size tbCache, GuestSsh ssh, KeyInjection keyInjection,
        KernelBoot boot, String serialLog, Packages packages, List<GuestSpec> l2) {

    public GuestSpec {
        l2 = l2 == null ? List.of() : List.copyOf(l2);
    }

    @JsonCreator
    static GuestSpec fromYaml(@JsonProperty(value = "name", required = true) String name,
            @JsonProperty("vcpus") Integer vcpus,
            @JsonProperty("memory") Size memory,
            @JsonProperty("disk") DiskSpec disk,
            @JsonProperty("network") NetworkAttachment network,
            @JsonProperty("cpu") CpuSpec cpu,
            @JsonProperty("domainType") DomainType domainType,
            @JsonProperty("allowTcg") Boolean allowTcg,
            @JsonProperty("tbCache") Size tbCache,
            @JsonProperty("ssh") GuestSsh ssh,
            @JsonProperty("keyInjection") KeyInjection keyInjection,
            @JsonProperty("boot") KernelBoot boot,
            @JsonProperty("serialLog") String serialLog,
            @JsonProperty("packages") Packages packages,
            @JsonProperty("l2") List<GuestSpec> l2) {
        if (vcpus != null && vcpus < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + vcpus);
        }
        return new GuestSpec(null, name, vcpus == null ? 0 : vcpus, memory, disk, network, cpu, domainType,
                Boolean.TRUE.equals(allowTcg), tbCache, ssh, keyInjection, boot, serialLog, packages, l2);
    }

    /** The seed's defaults for {@code level}, applied to every value not given (and to the L2s of an L1). */
    GuestSpec withDefaults(Level level) {
        boolean l1 = level == Level.L1;
        DomainType type = domainType != null ? domainType : DomainType.KVM;
        return new GuestSpec(level, name, vcpus > 0 ? vcpus : l1 ? 4 : 2,
                memory != null ? memory : Size.gib(l1 ? 4 : 2),
                (disk != null ? disk : DiskSpec.unset()).withDefaults(level),
                network != null ? network : l1 ? NetworkAttachment.bridge("br0") : NetworkAttachment.network("default"),
                cpu != null ? cpu : type == DomainType.QEMU ? CpuSpec.custom("qemu64") : CpuSpec.hostPassthrough(),
                type, allowTcg, tbCache,
                ssh != null ? ssh : GuestSsh.defaults(),
                keyInjection != null ? keyInjection : KeyInjection.CLOUD_INIT, boot,
                serialLog != null ? serialLog : "/var/log/libvirt/qemu/" + name + "-serial.log",
                packages != null ? packages : Packages.none(),
                l1 ? l2.stream().map(guest -> guest.withDefaults(Level.L2)).toList() : l2);
    }
}
