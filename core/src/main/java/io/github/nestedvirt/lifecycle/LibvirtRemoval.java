package io.github.nestedvirt.lifecycle;

import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/**
 * Removes one libvirt object, treating "no such object" as success: removal must be repeatable,
 * and a planned object may never have been created.
 */
final class LibvirtRemoval {

    /**
     * Undefine flags, tried in order: also drop managed-save images, snapshot metadata and NVRAM
     * (or undefine refuses, or leaves files behind); drivers that know fewer flags (the test
     * driver has no NVRAM) refuse unknown ones, so fewer are tried next.
     */
    private static final int[] UNDEFINE_FLAGS = {1 | 2 | 4, 1 | 2, 0};

    private static final Set<ErrorNumber> FLAG_REFUSED = Set.of(ErrorNumber.VIR_ERR_INVALID_ARG,
            ErrorNumber.VIR_ERR_NO_SUPPORT);

    private static final Set<ErrorNumber> NOT_FOUND = Set.of(ErrorNumber.VIR_ERR_NO_DOMAIN,
            ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorNumber.VIR_ERR_NO_STORAGE_VOL, ErrorNumber.VIR_ERR_NO_NETWORK);

    private LibvirtRemoval() {
    }

    /** Stops and undefines a domain; false when there was none of that name. */
    static boolean domain(Connect connect, String name) throws LibvirtException {
        Domain domain;
        try {
            domain = connect.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (notFound(e)) {
                return false;
            }
            throw e;
        }
        try {
            boolean persistent = domain.isPersistent() == 1;
            if (domain.isActive() == 1) {
                domain.destroy();
            }
            // A transient domain vanishes with destroy; only a persistent one has a definition left.
            if (persistent) {
                undefine(domain);
            }
            return true;
        } finally {
            domain.free();
        }
    }

    private static void undefine(Domain domain) throws LibvirtException {
        for (int i = 0; ; i++) {
            try {
                domain.undefine(UNDEFINE_FLAGS[i]);
                return;
            } catch (LibvirtException e) {
                if (notFound(e)) {
                    return;
                }
                boolean fewerFlagsLeft = i + 1 < UNDEFINE_FLAGS.length;
                if (!fewerFlagsLeft || e.getError() == null || !FLAG_REFUSED.contains(e.getError().getCode())) {
                    throw e;
                }
            }
        }
    }

    /** Deletes a volume from its pool; false when the pool or the volume does not exist. */
    static boolean volume(Connect connect, String poolName, String name) throws LibvirtException {
        StoragePool pool;
        try {
            pool = connect.storagePoolLookupByName(poolName);
        } catch (LibvirtException e) {
            if (notFound(e)) {
                return false;
            }
            throw e;
        }
        try {
            StorageVol volume;
            try {
                volume = pool.storageVolLookupByName(name);
            } catch (LibvirtException e) {
                if (notFound(e)) {
                    return false;
                }
                throw e;
            }
            try {
                volume.delete(0);
                return true;
            } finally {
                volume.free();
            }
        } finally {
            pool.free();
        }
    }

    /** Stops and undefines a network; false when there was none of that name. */
    static boolean network(Connect connect, String name) throws LibvirtException {
        Network network;
        try {
            network = connect.networkLookupByName(name);
        } catch (LibvirtException e) {
            if (notFound(e)) {
                return false;
            }
            throw e;
        }
        try {
            boolean persistent = network.isPersistent() == 1;
            if (network.isActive() == 1) {
                network.destroy();
            }
            if (persistent) {
                network.undefine();
            }
            return true;
        } finally {
            network.free();
        }
    }

    static boolean notFound(LibvirtException e) {
        return e.getError() != null && NOT_FOUND.contains(e.getError().getCode());
    }
}
