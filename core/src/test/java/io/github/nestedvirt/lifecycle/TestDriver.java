package io.github.nestedvirt.lifecycle;

import java.util.Arrays;
import java.util.List;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;

/**
 * libvirt's test driver ({@code test:///default}): in process, no daemon. Its state lives as
 * long as one connection to it is open, and is shared by every connection of this JVM.
 */
final class TestDriver {

    static final String URI = "test:///default";
    /** The storage pool the test driver starts with. */
    static final String POOL = "default-pool";

    private TestDriver() {
    }

    static Connect open() throws LibvirtException {
        return new Connect(URI);
    }

    /** Names of every domain, running or only defined. */
    static List<String> domainNames(Connect connect) throws LibvirtException {
        return Arrays.stream(connect.listAllDomains(0)).map(d -> {
            try {
                return d.getName();
            } catch (LibvirtException e) {
                throw new IllegalStateException(e);
            } finally {
                free(d);
            }
        }).toList();
    }

    static List<String> volumeNames(Connect connect) throws LibvirtException {
        StoragePool pool = connect.storagePoolLookupByName(POOL);
        try {
            return List.of(pool.listVolumes());
        } finally {
            pool.free();
        }
    }

    /** Defines and starts a domain. */
    static void startDomain(Connect connect, String xml) throws LibvirtException {
        Domain domain = connect.domainDefineXML(xml);
        try {
            domain.create();
        } finally {
            domain.free();
        }
    }

    static void createVolume(Connect connect, String name) throws LibvirtException {
        StoragePool pool = connect.storagePoolLookupByName(POOL);
        try {
            pool.storageVolCreateXML("<volume><name>" + name + "</name><capacity unit='MiB'>1</capacity></volume>", 0)
                    .free();
        } finally {
            pool.free();
        }
    }

    private static void free(Domain domain) {
        try {
            domain.free();
        } catch (LibvirtException e) {
            throw new IllegalStateException(e);
        }
    }
}
