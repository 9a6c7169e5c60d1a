package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.topology.AddressSource;
import io.github.nestedvirt.topology.NetworkAttachment;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.libvirt.Error;

/**
 * Where a starting guest's IPv4 address is read, one attempt at a time (polled by
 * {@link GuestReadiness#address}): libvirt's DHCP leases for a guest on a libvirt network; for a
 * guest on a host bridge, the QEMU guest agent, L0's ARP table, or the agent first and ARP while
 * it does not answer ({@link AddressSource#AUTO}).
 *
 * <p>L0's ARP table only holds a guest that has exchanged packets with L0, and a freshly booted
 * guest rarely has. So while the ARP table lacks it, the bridge's own subnets are swept
 * ({@link ArpSweep}) every {@code sweepInterval}: L0 then asks every address on the bridge for its
 * MAC, and the guest's answer lands in the table. Where libvirt's ARP source fails on this
 * host's kernel, the same table is read from {@code /proc/net/arp} ({@link ArpTable}).
 */
public final class AddressDiscovery {

    private final String description;
    private final AddressSource source;
    private final ArpSweep sweep;
    private final Duration sweepInterval;
    private long lastSweep;
    private boolean libvirtArpFails;

    private AddressDiscovery(String description, AddressSource source, ArpSweep sweep, Duration sweepInterval) {
        this.description = description;
        this.source = source;
        this.sweep = sweep;
        this.sweepInterval = sweepInterval;
    }

    /** libvirt's DHCP leases: a guest on a libvirt network. */
    public static AddressDiscovery lease() {
        return new AddressDiscovery("IPv4 address in libvirt's DHCP leases", null, null, null);
    }

    /** The discovery a guest plugged into {@code network} needs; ARP sweeps at most once per {@code sweepInterval}. */
    public static AddressDiscovery of(NetworkAttachment network, Duration sweepInterval) {
        if (network.isNetwork()) {
            return lease();
        }
        String from = switch (network.address()) {
            case AGENT -> "the QEMU guest agent";
            case ARP -> "L0's ARP table (bridge " + network.bridge() + ")";
            case AUTO -> "the QEMU guest agent or L0's ARP table (bridge " + network.bridge() + ")";
        };
        return new AddressDiscovery("IPv4 address from " + from, network.address(), new ArpSweep(network.bridge()),
                sweepInterval);
    }

    /** What is waited for, e.g. {@code IPv4 address in libvirt's DHCP leases}. */
    public String description() {
        return description;
    }

    /**
     * One look: the address when found; empty, with what was seen appended to {@code reason}, when
     * not yet. A libvirt failure that waiting cannot mend is thrown.
     */
    Optional<Inet4Address> attempt(LibvirtDomain domain, StringBuilder reason) throws HostException {
        if (source == null) {
            Optional<Inet4Address> address = domain.leaseAddress();
            if (address.isEmpty()) {
                reason.append("no lease yet");
            }
            return address;
        }
        if (source.usesAgent()) {
            Optional<Inet4Address> address = agent(domain, reason);
            if (address.isPresent() || source == AddressSource.AGENT) {
                return address;
            }
            reason.append("; ");
        }
        return arp(domain, reason);
    }

    private Optional<Inet4Address> agent(LibvirtDomain domain, StringBuilder reason) throws LibvirtFailedException {
        try {
            Optional<Inet4Address> address = domain.agentAddress();
            if (address.isEmpty()) {
                reason.append("the guest agent reports no IPv4 address yet");
            }
            return address;
        } catch (LibvirtFailedException e) {
            // Not connected yet (the guest still boots, or has no agent): waiting may mend it.
            if (e.errorNumber() == Error.ErrorNumber.VIR_ERR_AGENT_UNRESPONSIVE
                    || e.errorNumber() == Error.ErrorNumber.VIR_ERR_AGENT_UNSYNCED
                    || source == AddressSource.AUTO) {
                reason.append("guest agent: ").append(e.getMessage());
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Inet4Address> arp(LibvirtDomain domain, StringBuilder reason) throws HostException {
        Optional<Inet4Address> address = libvirtArpFails ? readArpTable(domain) : libvirtArp(domain, reason);
        if (address.isPresent()) {
            return address;
        }
        reason.append("no entry for the guest's MAC in L0's ARP table");
        long now = System.nanoTime();
        if (lastSweep == 0 || now - lastSweep >= sweepInterval.toNanos()) {
            lastSweep = now;
            reason.append(" (").append(sweep.sweep()).append(')');
        }
        return Optional.empty();
    }

    private Optional<Inet4Address> libvirtArp(LibvirtDomain domain, StringBuilder reason) throws HostException {
        try {
            return domain.arpAddress();
        } catch (LibvirtFailedException e) {
            if (e.errorNumber() != Error.ErrorNumber.VIR_ERR_INTERNAL_ERROR) {
                throw e;
            }
            // libvirt cannot parse this kernel's neighbour table (see ArpTable): read the same table here.
            libvirtArpFails = true;
            reason.append("libvirt's ARP source failed (").append(e.getMessage()).append("), reading ")
                    .append(ArpTable.PROC_NET_ARP).append(" instead; ");
            return readArpTable(domain);
        }
    }

    private static Optional<Inet4Address> readArpTable(LibvirtDomain domain) throws HostException {
        List<String> macs = domain.macAddresses();
        try {
            return ArpTable.addressOf(macs);
        } catch (IOException e) {
            throw new HostException(domain.name(), "cannot read " + ArpTable.PROC_NET_ARP + ": " + e.getMessage(), e);
        }
    }
}
