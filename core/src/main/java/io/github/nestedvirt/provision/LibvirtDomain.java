package io.github.nestedvirt.provision;

import java.io.IOException;
import java.io.StringReader;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.libvirt.Domain;
import org.libvirt.DomainInterface;
import org.libvirt.LibvirtException;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

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
        return firstIpv4("lease", Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE);
    }

    /**
     * The first IPv4 address the QEMU guest agent reports on an interface other than loopback.
     * Fails (with libvirt's error) while no agent answers.
     */
    public Optional<Inet4Address> agentAddress() throws LibvirtFailedException {
        return firstIpv4("guest agent", Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT);
    }

    /**
     * The first IPv4 address that the host's ARP table holds for one of the guest's MAC
     * addresses: what {@code virsh domifaddr --source arp} shows. Only there once the host and
     * the guest have exchanged packets.
     */
    public Optional<Inet4Address> arpAddress() throws LibvirtFailedException {
        return firstIpv4("ARP", Domain.InterfaceAddressesSource.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP);
    }

    /** The MAC addresses of the guest's network interfaces, from its live XML. */
    public List<String> macAddresses() throws LibvirtFailedException {
        String xml = xml();
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList macs = (NodeList) XPathFactory.newInstance().newXPath().evaluate(
                    "/domain/devices/interface/mac/@address",
                    factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))), XPathConstants.NODESET);
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < macs.getLength(); i++) {
                addresses.add(macs.item(i).getNodeValue());
            }
            return addresses;
        } catch (ParserConfigurationException | SAXException | IOException | XPathExpressionException e) {
            throw new IllegalStateException("libvirt returned domain XML of '" + name + "' that cannot be read", e);
        }
    }

    private Optional<Inet4Address> firstIpv4(String sourceName, int source) throws LibvirtFailedException {
        Collection<DomainInterface> interfaces = call("read interface addresses (" + sourceName + " source)",
                d -> d.interfaceAddresses(source, 0));
        for (DomainInterface nic : interfaces) {
            if (nic.addrs == null) {
                continue;
            }
            for (DomainInterface.InterfaceAddress address : nic.addrs) {
                if (address.address instanceof Inet4Address ipv4 && !ipv4.isLoopbackAddress()) {
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
