package io.github.nestedvirt.provision;

import java.net.Inet4Address;
import java.util.Collection;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.DomainInterface;
import org.libvirt.LibvirtException;

/**
 * A libvirt domain (a guest) seen through a {@link LibvirtSession}. Errors name the session's
 * URI, the operation and the domain. {@link #close()} frees the native handle; it does not stop
 * or remove the guest.
 */
public final class LibvirtDomain implements AutoCloseable {

    private final LibvirtSession session;
    private final Domain domain;
    private final String name;
    private boolean freed;

    LibvirtDomain(LibvirtSession session, Domain domain, String name) {
        this.session = session;
        this.domain = domain;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Boots the defined domain. */
    public void start() throws LibvirtFailedException {
        call("start", Domain::create);
    }

    public boolean isActive() throws LibvirtFailedException {
        return call("read state", Domain::isActive) == 1;
    }

    /** Powers the guest off at once (like pulling the plug) if it runs; does nothing otherwise. */
    public void destroy() throws LibvirtFailedException {
        if (isActive()) {
            call("destroy", d -> {
                d.destroy();
                return null;
            });
        }
    }

    /** Removes the domain's definition; a running domain becomes transient and goes when it stops. */
    public void undefine() throws LibvirtFailedException {
        call("undefine", d -> {
            d.undefine(0);
            return null;
        });
    }

    /** The live domain XML (flags 0: as libvirt reports it, without secure details). */
    public String xml() throws LibvirtFailedException {
        return call("read XML", d -> d.getXMLDesc(0));
    }

    /**
     * The first IPv4 address libvirt's DHCP server leased to one of the guest's interfaces.
     * Only interfaces on a libvirt network ({@code <interface type='network'>}) have leases.
     */
    public Optional<Inet4Address> leaseAddress() throws LibvirtFailedException {
        Collection<DomainInterface> interfaces = call("read interface addresses (lease source)",
                d -> d.interfaceAddresses(Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0));
        for (DomainInterface nic : interfaces) {
            if (nic.addrs == null) {
                continue;
            }
            for (DomainInterface.InterfaceAddress address : nic.addrs) {
                if (address.address instanceof Inet4Address ipv4) {
                    return Optional.of(ipv4);
                }
            }
        }
        return Optional.empty();
    }

    private <T> T call(String operation, LibvirtCall<T, Domain> call) throws LibvirtFailedException {
        return session.call(operation + " domain '" + name + "'", c -> call.call(domain));
    }

    /** Frees the native handle; the guest itself is untouched. Closing twice does nothing. */
    @Override
    public void close() {
        if (freed) {
            return;
        }
        freed = true;
        try {
            domain.free();
        } catch (LibvirtException e) {
            System.err.println(session.uri() + ": free domain '" + name + "': " + e.getMessage());
        }
    }
}
