package io.github.nestedvirt.provision;

import io.github.nestedvirt.host.HostException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes this host (L0) ask, by ARP, for the MAC of every address in the IPv4 subnets of a
 * bridge it has an address on: one UDP datagram to the discard port of each address makes the
 * kernel resolve it, and every guest on the bridge that holds an address answers, which puts it
 * into the ARP table that libvirt's ARP source reads. Subnets larger than a /22 (1022 addresses)
 * are not swept, to keep a sweep short and quiet on a big lab network.
 */
final class ArpSweep {

    /** The largest subnet swept: a /22. */
    static final int SMALLEST_PREFIX = 22;
    private static final int DISCARD_PORT = 9;

    private final String bridge;

    ArpSweep(String bridge) {
        this.bridge = bridge;
    }

    /** The bridge's IPv4 subnets this host sweeps, as {@code address/prefix}. */
    List<InterfaceAddress> subnets() throws HostException {
        NetworkInterface device;
        try {
            device = NetworkInterface.getByName(bridge);
        } catch (SocketException e) {
            throw new HostException(bridge, "cannot read network device " + bridge + ": " + e.getMessage(), e);
        }
        if (device == null) {
            throw new HostException(bridge, "no network device " + bridge + " on this host; create the bridge,"
                    + " or attach the guest to a libvirt network (network: {network: default})");
        }
        List<InterfaceAddress> subnets = new ArrayList<>();
        for (InterfaceAddress address : device.getInterfaceAddresses()) {
            if (address.getAddress() instanceof Inet4Address) {
                subnets.add(address);
            }
        }
        return subnets;
    }

    /** Sends the datagrams; returns what was done, in words, for the reason of a wait. */
    String sweep() throws HostException {
        List<InterfaceAddress> subnets = subnets();
        if (subnets.isEmpty()) {
            return "bridge " + bridge + " has no IPv4 address on this host, so no sweep: L0 only learns the guest"
                    + " when the guest sends to it; give the bridge an address in the guests' subnet";
        }
        int sent = 0;
        List<String> skipped = new ArrayList<>();
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.configureBlocking(false);
            for (InterfaceAddress subnet : subnets) {
                int prefix = subnet.getNetworkPrefixLength();
                String cidr = subnet.getAddress().getHostAddress() + "/" + prefix;
                if (prefix < SMALLEST_PREFIX || prefix > 30) {
                    skipped.add(cidr);
                    continue;
                }
                int own = toInt(subnet.getAddress());
                int mask = -1 << (32 - prefix);
                int network = own & mask;
                int broadcast = network | ~mask;
                for (int host = network + 1; host < broadcast; host++) {
                    if (host == own) {
                        continue;
                    }
                    try {
                        channel.send(ByteBuffer.allocate(0), new InetSocketAddress(toAddress(host), DISCARD_PORT));
                        sent++;
                    } catch (IOException e) {
                        // An address that failed to resolve before may refuse at once; the others still go.
                    }
                }
            }
        } catch (IOException e) {
            throw new HostException(bridge, "cannot open a UDP socket to sweep bridge " + bridge + ": " + e.getMessage(), e);
        }
        return "swept " + sent + " addresses on bridge " + bridge
                + (skipped.isEmpty() ? "" : "; not swept, larger than a /" + SMALLEST_PREFIX + " or without host"
                        + " addresses: " + skipped);
    }

    private static int toInt(InetAddress address) {
        byte[] bytes = address.getAddress();
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | bytes[3] & 0xff;
    }

    private static InetAddress toAddress(int value) throws IOException {
        return InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
            (byte) value});
    }
}
