package io.github.nestedvirt.provision;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * This host's IPv4 neighbour table as the kernel shows it in {@code /proc/net/arp}: the same
 * entries libvirt's ARP source reads. Used when that source fails: libvirt 9.0 reads the table
 * over netlink and rejects a reply whose closing {@code NLMSG_DONE} comes in the same message batch
 * as the entries ("internal error: wrong nlmsg len"), which newer kernels send (seen here with
 * Linux 6.18).
 */
final class ArpTable {

    static final Path PROC_NET_ARP = Path.of("/proc/net/arp");
    /** {@code ATF_COM}: the entry is resolved, it has a hardware address. */
    private static final int COMPLETE = 0x2;

    private ArpTable() {
    }

    /** The IPv4 address of a resolved entry for one of {@code macs} (any case), in {@code table}'s text. */
    static Optional<Inet4Address> addressOf(String table, Collection<String> macs) {
        Collection<String> wanted = macs.stream().map(mac -> mac.toLowerCase(Locale.ROOT)).toList();
        for (String line : table.lines().skip(1).toList()) {
            // IP address, HW type, Flags, HW address, Mask, Device
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 6 || !fields[2].startsWith("0x")) {
                continue;
            }
            int flags = Integer.parseInt(fields[2].substring(2), 16);
            if ((flags & COMPLETE) != 0 && wanted.contains(fields[3].toLowerCase(Locale.ROOT))) {
                try {
                    if (InetAddress.getByName(fields[0]) instanceof Inet4Address ipv4) {
                        return Optional.of(ipv4);
                    }
                } catch (UnknownHostException e) {
                    // not a literal address: not an entry
                }
            }
        }
        return Optional.empty();
    }

    /** Reads this host's table. */
    static Optional<Inet4Address> addressOf(Collection<String> macs) throws IOException {
        return addressOf(Files.readString(PROC_NET_ARP), macs);
    }
}
