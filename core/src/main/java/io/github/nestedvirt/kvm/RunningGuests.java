package io.github.nestedvirt.kvm;

import io.github.nestedvirt.host.CommandResult;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.provision.LibvirtFailedException;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.topology.OwnerTag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.libvirt.Domain;

/**
 * The guests running on a hypervisor, split by owner: reloading the kvm module stops every one of
 * them, so guests of other runs (or of nobody we know) must not be running unless the user forces it.
 *
 * @param own running domains tagged with this run's id
 * @param foreign every other running domain
 */
public record RunningGuests(List<String> own, List<String> foreign) {

    public RunningGuests {
        own = List.copyOf(own);
        foreign = List.copyOf(foreign);
    }

    /** The active domains of {@code libvirt}, with their owner tags read from their XML. */
    public static RunningGuests of(LibvirtSession libvirt, String run) throws LibvirtFailedException {
        return libvirt.call("list running domains", connect -> {
            List<String> own = new ArrayList<>();
            List<String> foreign = new ArrayList<>();
            for (int id : connect.listDomains()) {
                Domain domain = connect.domainLookupByID(id);
                try {
                    Optional<OwnerTag> owner = OwnerTag.fromDomainXml(domain.getXMLDesc(0));
                    (owner.isPresent() && owner.get().run().equals(run) ? own : foreign).add(domain.getName());
                } finally {
                    domain.free();
                }
            }
            return new RunningGuests(own, foreign);
        });
    }

    /**
     * The running domains of the system libvirt of a host this run did not provision (an existing L1),
     * read with {@code virsh}: all of them are foreign. A host without virsh runs no libvirt guest.
     */
    public static RunningGuests listedByVirsh(Host host) throws HostException, InterruptedException {
        CommandResult result = host.run("if ! command -v virsh >/dev/null 2>&1; then exit 0; fi; "
                + "virsh -c qemu:///system list --name", Duration.ofMinutes(1)).orThrow(host.name());
        return new RunningGuests(List.of(), result.stdout().lines().map(String::strip).filter(name -> !name.isEmpty())
                .toList());
    }
}
