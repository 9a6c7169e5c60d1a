package io.github.nestedvirt.kvm;

import io.github.nestedvirt.provision.LibvirtFailedException;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.topology.OwnerTag;
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
}
