package io.github.nestedvirt.lifecycle;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * Removes everything a {@link TopologyRecord} holds that may still exist, newest first (domains
 * before the volumes and seed images they use).
 *
 * <p>Teardown is idempotent: a resource found already gone counts as removed, and a second
 * teardown finds nothing left to do. It never stops at a failure: every resource is tried, each is
 * marked removed in the record as soon as it is gone, and the {@link TeardownReport} lists all
 * failures at the end. An interrupt pending on the calling thread (Ctrl-C, SIGTERM) is held back
 * while tearing down, so the cleanup itself is not cut short, and restored afterwards.
 */
public final class Teardown {

    private static final Duration FILE_REMOVAL_TIMEOUT = Duration.ofMinutes(1);

    /** Opens a libvirt connection for a URI recorded with a resource. */
    @FunctionalInterface
    public interface LibvirtOpener {
        Connect open(String uri) throws LibvirtException;
    }

    /** Finds the {@link Host} whose {@link Host#name() name} was recorded with a file. */
    @FunctionalInterface
    public interface HostLookup {
        /** The host, or throws {@link HostException} saying why it cannot be reached from here. */
        Host host(String name) throws HostException;
    }

    private final LibvirtOpener libvirt;
    private final HostLookup hosts;

    public Teardown(LibvirtOpener libvirt, HostLookup hosts) {
        this.libvirt = libvirt;
        this.hosts = hosts;
    }

    /**
     * A teardown from this machine: libvirt URIs opened as recorded, files on {@code local}
     * removed here; files recorded on other hosts (inside an L1) fail with a message saying so.
     */
    public static Teardown fromThisMachine() {
        LocalHost local = new LocalHost();
        return new Teardown(Connect::new, name -> {
            if (name.equals(local.name())) {
                return local;
            }
            throw new HostException(name, "not reachable from a teardown on this machine; the file goes away "
                    + "with the guest that holds it");
        });
    }

    /** Removes every resource of {@code record} not yet removed, and records each removal. */
    public TeardownReport run(TopologyRecord record) {
        boolean interrupted = Thread.interrupted();
        Map<String, Connect> connections = new HashMap<>();
        List<TeardownReport.Step> steps = new ArrayList<>();
        try {
            List<Resource> live = new ArrayList<>(record.live());
            java.util.Collections.reverse(live);
            for (Resource resource : live) {
                steps.add(remove(record, resource, connections));
            }
        } finally {
            connections.values().forEach(Teardown::closeQuietly);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new TeardownReport(steps);
    }

    /**
     * Removes one recorded resource now, e.g. the source's copy of a disk that a migration copied to
     * another L0, and records its removal.
     */
    public TeardownReport.Step remove(TopologyRecord record, Resource resource) {
        Map<String, Connect> connections = new HashMap<>();
        try {
            return remove(record, resource, connections);
        } finally {
            connections.values().forEach(Teardown::closeQuietly);
        }
    }

    private TeardownReport.Step remove(TopologyRecord record, Resource resource, Map<String, Connect> connections) {
        boolean existed;
        try {
            existed = switch (resource.kind()) {
                case DOMAIN -> LibvirtRemoval.domain(connection(connections, resource.where()), resource.name());
                case VOLUME -> LibvirtRemoval.volume(connection(connections, resource.where()), resource.pool(),
                        resource.name());
                case NETWORK -> LibvirtRemoval.network(connection(connections, resource.where()), resource.name());
                case FILE, SEED_IMAGE -> removeFile(resource);
            };
        } catch (LibvirtException e) {
            return failed(resource, "libvirt: " + e.getMessage());
        } catch (HostException e) {
            return failed(resource, e.getMessage());
        } catch (InterruptedException e) {
            // A second signal while tearing down: give up on this one, still try the others.
            return failed(resource, "interrupted");
        } catch (RuntimeException e) {
            return failed(resource, e.toString());
        }
        try {
            record.removed(resource);
        } catch (IOException e) {
            return failed(resource, "removed, but " + e.getMessage());
        }
        return new TeardownReport.Step(resource,
                existed ? TeardownReport.Outcome.REMOVED : TeardownReport.Outcome.ALREADY_GONE, "");
    }

    private static TeardownReport.Step failed(Resource resource, String why) {
        return new TeardownReport.Step(resource, TeardownReport.Outcome.FAILED, why);
    }

    private Connect connection(Map<String, Connect> connections, String uri) throws LibvirtException {
        Connect connect = connections.get(uri);
        if (connect == null) {
            connect = libvirt.open(uri);
            connections.put(uri, connect);
        }
        return connect;
    }

    /** {@code rm -f} cannot tell whether the file was there; ask first, for an honest report. */
    private boolean removeFile(Resource resource) throws HostException, InterruptedException {
        Host host = hosts.host(resource.where());
        String path = resource.name();
        String command = "if [ -e " + Shell.quote(path) + " ] || [ -L " + Shell.quote(path) + " ]; then "
                + Shell.command("rm", "-f", "--", path) + " && echo removed; fi";
        String out = host.run(command, FILE_REMOVAL_TIMEOUT).orThrow(host.name()).stdout();
        return out.contains("removed");
    }

    private static void closeQuietly(Connect connect) {
        try {
            connect.close();
        } catch (LibvirtException e) {
            // the teardown's outcome is already known; a failing close changes nothing
        }
    }
}
