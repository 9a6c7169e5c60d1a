package io.github.nestedvirt.lifecycle;

import io.github.nestedvirt.host.Host;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The resources of one run, guaranteed to be torn down: on {@link #close()} (normal end or error,
 * with try-with-resources), and by a JVM shutdown hook on SIGTERM, SIGINT or {@link System#exit}.
 *
 * <pre>{@code
 * try (Lifecycle life = Lifecycle.open(runDir)) {
 *     Domain l1 = life.create(Resource.domain(uri, "nvmx-l1", Level.L1), () -> connect.domainDefineXML(xml));
 *     ...
 * }
 * }</pre>
 *
 * <p>Creation and teardown exclude each other: a shutdown that arrives while a resource is being
 * created waits until it is created (and recorded), then removes it with the rest, so nothing slips
 * between the record and the teardown. Once teardown has started, no new resource may be created.
 * Only SIGKILL (or a power cut) gets past this; what it leaves is in {@code topology.json}, for
 * {@code nvmx teardown RUN_DIR}, and in each domain's owner tag, for {@code nvmx reap}.
 */
public final class Lifecycle implements AutoCloseable {

    private final TopologyRecord record;
    private final Teardown teardown;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread shutdownHook;
    private final List<AutoCloseable> remoteConnections = new ArrayList<>();
    private boolean closed;
    private boolean handedOver;

    private Lifecycle(TopologyRecord record, Teardown teardown) {
        this.record = record;
        this.teardown = teardown;
        this.shutdownHook = new Thread(this::tearDownOnShutdown, "nvmx-teardown-" + record.run());
    }

    /** Opens (or continues) the record of {@code runDir}, the run id being the directory's name. */
    public static Lifecycle open(Path runDir) throws IOException {
        return open(runDir, Teardown.fromThisMachine());
    }

    /** Opens (or continues) the record of {@code runDir}, tearing down with {@code teardown}. */
    public static Lifecycle open(Path runDir, Teardown teardown) throws IOException {
        TopologyRecord record = TopologyRecord.open(runDir, runDir.toAbsolutePath().normalize().getFileName().toString());
        Lifecycle life = new Lifecycle(record, teardown);
        Runtime.getRuntime().addShutdownHook(life.shutdownHook);
        return life;
    }

    /** The write-ahead record. */
    public TopologyRecord record() {
        return record;
    }

    /**
     * Records {@code resource} as planned, creates it, records it as created.
     *
     * @throws IllegalStateException when teardown has begun: nothing new is created then
     */
    public <T> T create(Resource resource, TopologyRecord.Creation<T> creation) throws Exception {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("run " + record.run() + (handedOver
                        ? " was handed over to a later teardown; " : " is being torn down; ")
                        + resource.describe() + " is not created");
            }
            return record.create(resource, creation);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes what is recorded on another machine (a remote L0, or inside an L1) through the
     * engine's connection to it while this lifecycle lives: its libvirt (recorded as {@code where})
     * through {@code libvirt}, its files through {@code host}. Teardown goes newest first, so an L2
     * goes through its L1 before the L1 itself is removed; {@code connection} (the session and relay
     * behind both) is closed after teardown or hand-over.
     */
    public void reachRemote(String where, Teardown.LibvirtOpener libvirt, Host host, AutoCloseable connection) {
        lock.lock();
        try {
            if (closed) {
                try {
                    connection.close();
                } catch (Exception e) {
                    // nothing was created through it
                }
                throw new IllegalStateException("run " + record.run() + " is being torn down or was handed over;"
                        + " nothing is created inside " + host.name());
            }
            teardown.route(where, libvirt);
            teardown.route(host);
            remoteConnections.add(connection);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes every recorded resource and reports what happened; safe to call again (a second
     * teardown has nothing left to do, or retries what failed).
     */
    public TeardownReport tearDown() {
        lock.lock();
        try {
            closed = true;
            return teardown.run(record);
        } finally {
            closeRemoteConnections();
            lock.unlock();
        }
    }

    private void closeRemoteConnections() {
        for (AutoCloseable connection : remoteConnections) {
            try {
                connection.close();
            } catch (Exception e) {
                // only a session or a relay; what it reached is torn down or handed over already
            }
        }
        remoteConnections.clear();
    }

    /**
     * Ends this lifecycle WITHOUT teardown: what was created stays (e.g. guests that
     * {@code nvmx provision} leaves running), recorded in {@code topology.json} for a later
     * {@code nvmx teardown RUN_DIR} or {@link #open} of the same directory. Afterwards nothing new
     * is created here and {@link #close()} does nothing.
     */
    public void handOver() {
        lock.lock();
        try {
            closed = true;
            handedOver = true;
            closeRemoteConnections();
        } finally {
            lock.unlock();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs already: a signal came first, and its teardown wins
        }
    }

    /**
     * Tears down and removes the shutdown hook; does nothing after {@link #handOver()}.
     *
     * @throws IncompleteTeardownException if something may have been left behind
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (handedOver) {
                return;
            }
        } finally {
            lock.unlock();
        }
        TeardownReport report = tearDown();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or has run: it tears down too, which finds nothing left
        }
        if (!report.complete()) {
            throw new IncompleteTeardownException(record.run(), report);
        }
    }

    private void tearDownOnShutdown() {
        TeardownReport report = tearDown();
        if (!report.complete()) {
            System.err.println(new IncompleteTeardownException(record.run(), report).getMessage());
        }
    }
}
