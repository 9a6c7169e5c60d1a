package io.github.nestedvirt.topology;

import java.util.regex.Pattern;

/**
 * A libvirt network for test guests: NAT or isolated, with a bridge, an IPv4 address and a DHCP
 * range, e.g. the {@code default} network an L1 offers its L2s.
 *
 * @param name libvirt network name
 * @param bridge the bridge device libvirt creates
 * @param nat true for NAT to the outside, false for an isolated network
 * @param address the host's address on the network, e.g. {@code 192.168.124.1}
 * @param netmask e.g. {@code 255.255.255.0}
 * @param dhcpStart first address leased
 * @param dhcpEnd last address leased
 */
public record LibvirtNetwork(String name, String bridge, boolean nat, String address, String netmask,
        String dhcpStart, String dhcpEnd) {

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

    public LibvirtNetwork {
        if (name == null || !TopologyValidator.OBJECT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a usable libvirt network name");
        }
        if (bridge == null || !TopologyValidator.BRIDGE_NAME.matcher(bridge).matches()) {
            throw new IllegalArgumentException("bridge: '" + bridge + "' is not a network device name");
        }
        for (String ip : new String[] {address, netmask, dhcpStart, dhcpEnd}) {
            if (ip == null || !IPV4.matcher(ip).matches()) {
                throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address");
            }
        }
    }

    /**
     * The {@code default} NAT network made inside an L1 for its L2s. Its subnet differs from
     * libvirt's usual 192.168.122.0/24, which the L1 itself may sit on when its L0 uses libvirt's
     * {@code default}: the same subnet on both sides would break the L1's routing.
     */
    public static LibvirtNetwork defaultInsideL1() {
        return new LibvirtNetwork("default", "virbr0", true, "192.168.124.1", "255.255.255.0", "192.168.124.2",
                "192.168.124.254");
    }

    /** The network document for {@code net-define}/{@code networkDefineXML}. */
    public String toXml() {
        XmlText xml = new XmlText();
        xml.open("network");
        xml.element("name", name);
        if (nat) {
            xml.empty("forward").attribute("mode", "nat");
        }
        xml.empty("bridge").attribute("name", bridge).attribute("stp", "on").attribute("delay", 0);
        xml.open("ip").attribute("address", address).attribute("netmask", netmask);
        xml.open("dhcp");
        xml.empty("range").attribute("start", dhcpStart).attribute("end", dhcpEnd);
        xml.close();
        xml.close();
        xml.close();
        return xml.finish();
    }
}
