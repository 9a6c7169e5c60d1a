package io.github.nestedvirt.lifecycle;

import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.LocalHost;
import io.github.nestedvirt.host.Shell;
import io.github.nestedvirt.result.Level;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<String, LibvirtOpener> libvirtRoutes = new ConcurrentHashMap<>();
    private final Map<String, Host> hostRoutes = new ConcurrentHashMap<>();

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

    /**
     * Reaches the libvirt recorded as {@code where} (an L1's, e.g. {@code qemu+ssh://root@l1/system})
     * through {@code opener} from now on, instead of opening that URI as it is.
     */
    public void route(String where, LibvirtOpener opener) {
        libvirtRoutes.put(where, opener);
    }

    /** Removes files recorded on {@code host}'s name (inside an L1) through that host from now on. */
    public void route(Host host) {
        hostRoutes.put(host.name(), host);
    }

    /**
     * Removes every resource of {@code record} not yet removed, and records each removal. A
     * resource inside an L1 that cannot be removed there (the L1 is unreachable) counts as removed
     * once that L1's domain is removed.
     */
    public TeardownReport run(TopologyRecord record) {
        boolean interrupted = Thread.interrupted();
        Map<String, Connect> connections = new HashMap<>();
        List<TeardownReport.Step> steps = new ArrayList<>();
        try {
            List<Resource> live = insideFirst(record.live());
            Map<String, Integer> lastUse = new HashMap<>();
            for (int i = 0; i < live.size(); i++) {
                lastUse.put(live.get(i).where(), i);
            }
            for (int i = 0; i < live.size(); i++) {
                Resource resource = live.get(i);
                steps.add(remove(record, resource, connections));
                // Closed once done with: a connection into an L1 must close before that L1 goes,
                // or closing it would wait for an answer that never comes.
                if (lastUse.get(resource.where()) == i && connections.containsKey(resource.where())) {
                    closeQuietly(connections.remove(resource.where()));
                }
            }
            for (int i = 0; i < steps.size(); i++) {
                steps.set(i, goneWithItsL1(record, steps.get(i)));
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
     * Newest first, except that what lives inside an L1 goes before that L1's domain: an L1 that a
     * migration moved is recorded anew on its new L0, after its L2s.
     */
    static List<Resource> insideFirst(List<Resource> recorded) {
        List<Resource> newestFirst = new ArrayList<>(recorded);
        java.util.Collections.reverse(newestFirst);
        List<Resource> order = new ArrayList<>();
        for (Resource resource : newestFirst) {
            if (resource.kind() == Resource.Kind.DOMAIN && resource.level() == Level.L1) {
                newestFirst.stream().filter(r -> resource.name().equals(r.within()) && !order.contains(r))
                        .forEach(order::add);
            }
            if (!order.contains(resource)) {
                order.add(resource);
            }
        }
        return order;
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

    /** A failed step inside an L1 whose domain this record now holds as removed: it went with it. */
    private static TeardownReport.Step goneWithItsL1(TopologyRecord record, TeardownReport.Step step) {
        Resource resource = step.resource();
        if (step.outcome() != TeardownReport.Outcome.FAILED || resource.within() == null) {
            return step;
        }
        boolean l1Removed = record.resources().stream().anyMatch(r -> r.kind() == Resource.Kind.DOMAIN
                && r.level() == Level.L1 && r.name().equals(resource.within()) && r.state() == Resource.State.REMOVED);
        if (!l1Removed) {
            return step;
        }
        try {
            record.removed(resource);
        } catch (IOException e) {
            return failed(resource, step.detail() + "; its L1 is removed, but " + e.getMessage());
        }
        return new TeardownReport.Step(resource, TeardownReport.Outcome.REMOVED_WITH_L1, step.detail());
    }

    private static TeardownReport.Step failed(Resource resource, String why) {
        return new TeardownReport.Step(resource, TeardownReport.Outcome.FAILED, why);
    }

    private Connect connection(Map<String, Connect> connections, String uri) throws LibvirtException {
        Connect connect = connections.get(uri);
        if (connect == null) {
            connect = libvirtRoutes.getOrDefault(uri, libvirt).open(uri);
            connections.put(uri, connect);
        }
        return connect;
    }

    /** {@code rm -f} cannot tell whether the file was there; ask first, for an honest report. */
    private boolean removeFile(Resource resource) throws HostException, InterruptedException {
        Host routed = hostRoutes.get(resource.where());
        Host host = routed != null ? routed : hosts.host(resource.where());
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
