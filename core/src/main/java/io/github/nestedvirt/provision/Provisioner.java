package io.github.nestedvirt.provision;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.HostKeyPolicy;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.DomainXml;
import io.github.nestedvirt.topology.GuestSpec;
import io.github.nestedvirt.topology.KeyInjection;
import io.github.nestedvirt.topology.OwnerTag;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.VolumeXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.libvirt.Error;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/**
 * Brings up the L1 guests of a topology on L0: for each, a disk volume, a domain carrying the
 * run's owner tag, started and waited for until it has an address, its SSH port is open and an
 * SSH login runs a command. Every resource goes through {@link Lifecycle#create}, so it is in
 * {@code topology.json} before it exists, and the caller's lifecycle removes it again.
 *
 * <p>An L1's L2 guests are then created inside it by a {@link NestedProvisioner}, through the
 * L1's own libvirt. A bridged L1's address comes from its guest agent or L0's ARP table
 * ({@link AddressDiscovery}); a cloud-init L1 gets a {@link SeedImage}, recorded like the rest.
 * A remote L0 ({@link L0Connection}) is reached over the engine's SSH session: its libvirt through
 * a {@link RemoteLibvirt} relay, its files through that session, its L1s through it as jump host.
 * What this version cannot do is refused before anything is created, naming the field: an L2 on a
 * bridge or with a cloud-init seed, and a bridged L1 on a remote L0. Several L1s are provisioned in parallel, each
 * worker with its own libvirt connection
 * (libvirt keeps its last error per thread). The first failure stops the others and propagates;
 * the caller's lifecycle then tears everything down.
 */
public final class Provisioner {

    /** Where libvirt keeps each domain's qemu log; it stays after undefine, so it is recorded too. */
    public static final String LIBVIRT_QEMU_LOGS = "/var/log/libvirt/qemu/";

    /** How often a bridged guest's subnet is swept while L0's ARP table lacks it. */
    private static final Duration ARP_SWEEP_INTERVAL = Duration.ofSeconds(2);

    /**
     * How long provisioning may take and how many guests come up at once.
     *
     * @param lifetime how long the guests are needed: the owner tag's expiry, after which a reaper may remove them
     * @param leaseTimeout from start to an address (libvirt's DHCP leases, or a bridged guest's agent or ARP)
     * @param portTimeout from the address to an open SSH port
     * @param sshTimeout from the open port to a login that runs a command
     * @param pollInterval pause between two readiness attempts
     * @param parallelism at most this many guests are provisioned at once
     */
    public record Settings(Duration lifetime, Duration leaseTimeout, Duration portTimeout, Duration sshTimeout,
            Duration pollInterval, int parallelism) {

        public Settings {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
            }
        }

        /** Guests needed for 24 h; generous waits, since an L1 under TCG boots slowly; 4 at once. */
        public static Settings defaults() {
            return new Settings(Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofMinutes(2),
                    Duration.ofMinutes(2), Duration.ofMillis(500), 4);
        }

        public Settings withLifetime(Duration newLifetime) {
            return new Settings(newLifetime, leaseTimeout, portTimeout, sshTimeout, pollInterval, parallelism);
        }

        public Settings withTimeouts(Duration lease, Duration port, Duration ssh) {
            return new Settings(lifetime, lease, port, ssh, pollInterval, parallelism);
        }

        public Settings withParallelism(int newParallelism) {
            return new Settings(lifetime, leaseTimeout, portTimeout, sshTimeout, pollInterval, newParallelism);
        }
    }

    private final Settings settings;
    private final Map<Path, ReentrantLock> knownHostsLocks = new ConcurrentHashMap<>();

    public Provisioner(Settings settings) {
        this.settings = settings;
    }

    /**
     * What of {@code topology} this provisioner cannot do, one message per problem naming the
     * field path; empty when it can provision it.
     */
    public static List<String> unsupported(Topology topology) {
        List<String> problems = new ArrayList<>(topology.l0().problems());
        boolean remoteL0 = !topology.l0().isLocal();
        for (int i = 0; i < topology.l1().size(); i++) {
            GuestSpec guest = topology.l1().get(i);
            guestProblems(guest, "l1[" + i + "]", false, remoteL0, problems);
            for (int j = 0; j < guest.l2().size(); j++) {
                guestProblems(guest.l2().get(j), "l1[" + i + "].l2[" + j + "]", true, remoteL0, problems);
            }
        }
        return problems;
    }

    /** What this provisioner cannot do for one guest, an L1 or an L2 (whose files are on L0: the L1 sees L0's paths or gets them there). */
    private static void guestProblems(GuestSpec guest, String at, boolean l2, boolean remoteL0, List<String> problems) {
        if (l2 && !guest.network().isNetwork()) {
            problems.add(at + ".network.bridge: an L2 is found through its L1's libvirt leases; attach it to a"
                    + " libvirt network of its L1, e.g. network: {network: default}");
        } else if (remoteL0 && !guest.network().isNetwork()) {
            problems.add(at + ".network.bridge: a bridged L1 on a remote L0 is not available yet (its address would"
                    + " be read from this machine's ARP table); attach it to a libvirt network of L0, e.g."
                    + " network: {network: default}, or run nvmx on L0");
        } else if (!guest.network().isNetwork()
                && !Files.isDirectory(Path.of("/sys/class/net", guest.network().bridge()))) {
            problems.add(at + ".network.bridge: there is no network device " + guest.network().bridge()
                    + " on this host; create the bridge with the lab's network on it,"
                    + " or attach the guest to a libvirt network, e.g. network: {network: default}");
        }
        if (l2 && guest.keyInjection() == KeyInjection.CLOUD_INIT) {
            problems.add(at + ".keyInjection: cloud-init seed images are made for L1s only; use keyInjection: image"
                    + " with an image (or initramfs) that already authorizes the SSH key");
        } else if (guest.keyInjection() == KeyInjection.CLOUD_INIT && !Files.isReadable(SeedImage.publicKeyFile(guest))) {
            problems.add(at + ".ssh.publicKey: the cloud-init seed authorizes the public key "
                    + SeedImage.publicKeyFile(guest) + ", which does not exist or cannot be read; write it with"
                    + " ssh-keygen -y -f " + homePath(guest.ssh().identity()) + " > " + SeedImage.publicKeyFile(guest));
        }
        Path identity = homePath(guest.ssh().identity());
        if (!Files.isReadable(identity)) {
            problems.add(at + ".ssh.identity: " + identity + " does not exist or cannot be read;"
                    + " name the private key the guest authorizes");
        }
        if (!guest.ssh().acceptNewHostKey() && !Files.isReadable(homePath(guest.ssh().knownHosts()))) {
            problems.add(at + ".ssh.knownHosts: " + homePath(guest.ssh().knownHosts()) + " does not exist;"
                    + " with acceptNewHostKey: false the guest's key must be in it already");
        }
    }

    /**
     * Provisions every L1 of {@code topology} and writes {@code RUN_DIR/provisioned.json}. The
     * guests stay up; the caller's lifecycle removes them ({@link Lifecycle#close()}), or keeps
     * them for later ({@link Lifecycle#handOver()}).
     *
     * @throws IllegalArgumentException before anything is created, when the topology asks for
     *     something {@link #unsupported} or names a domain or volume that already exists
     * @throws HostException when libvirt fails or a guest does not become ready (with its serial log)
     * @throws InterruptedException when interrupted (Ctrl-C, SIGTERM); the workers are stopped first
     */
    public ProvisionedTopology provision(Topology topology, Lifecycle lifecycle, Progress progress)
            throws HostException, IOException, InterruptedException {
        return provision(topology, lifecycle, progress, BeforeL2s.NOTHING);
    }

    /**
     * What runs for each L1 once it answers SSH and before any of its L2s is created, e.g. a
     * kvm_intel reload in it for an MMU mode, which would stop L2s that ran already. Called on the
     * L1's provisioning thread (several L1s at once); a failure fails the provisioning.
     */
    @FunctionalInterface
    public interface BeforeL2s {

        BeforeL2s NOTHING = (l1, target) -> { };

        /**
         * @param l1 the L1, up
         * @param target how the engine reaches it (through a remote L0 when there is one)
         */
        void l1Ready(ProvisionedGuest l1, SshTarget target) throws Exception;
    }

    /**
     * As {@link #provision(Topology, Lifecycle, Progress)}, running {@code beforeL2s} in each L1
     * between its own provisioning and its L2s'.
     */
    public ProvisionedTopology provision(Topology topology, Lifecycle lifecycle, Progress progress, BeforeL2s beforeL2s)
            throws HostException, IOException, InterruptedException {
        List<String> problems = unsupported(topology);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        L0Connection l0 = L0Connection.open(topology.l0(), lifecycle);
        if (!l0.isLocal()) {
            progress.info("L0 is " + l0.host().name() + ", its libvirt " + l0.where() + " reached over SSH");
        }
        refuseExisting(topology, l0);
        OwnerTag owner = OwnerTag.forThisProcess(lifecycle.record().run(), settings.lifetime());
        List<ProvisionedGuest> guests = inParallel(topology.l1(), settings.parallelism(), guest -> {
            ProvisionedGuest l1 = provisionOne(guest, l0, lifecycle, owner, progress);
            List<ProvisionedGuest> all = new ArrayList<>(List.of(l1));
            beforeL2s.l1Ready(l1, l1Target(l1, l0));
            if (!guest.l2().isEmpty()) {
                String at = "l1[" + topology.l1().indexOf(guest) + "]";
                try {
                    all.addAll(new NestedProvisioner(settings, this::knownHostsLock).provision(at, guest,
                            l1Target(l1, l0), lifecycle, owner, progress));
                } catch (LibvirtFailedException e) {
                    throw e.connectionLost() ? withConsole(e, guest, l0) : e;
                }
            }
            return all;
        });
        ProvisionedTopology provisioned = new ProvisionedTopology(lifecycle.record().run(), l0.route(), guests);
        provisioned.write(lifecycle.record().file().getParent());
        return provisioned;
    }

    /**
     * A domain or volume of the same name would be removed by this run's teardown although it is
     * not ours: refuse, before anything is recorded.
     */
    private static void refuseExisting(Topology topology, L0Connection l0) throws HostException {
        List<String> clashes = new ArrayList<>();
        String uri = l0.where();
        try (LibvirtSession session = l0.session()) {
            for (int i = 0; i < topology.l1().size(); i++) {
                GuestSpec guest = topology.l1().get(i);
                if (session.find(guest.name()).isPresent()) {
                    clashes.add("l1[" + i + "].name: a domain named " + guest.name() + " already exists on " + uri
                            + "; pick another name, or remove it (nvmx teardown of its run, or virsh undefine)");
                }
                String volume = VolumeXml.volumeName(guest);
                String pool = guest.disk().pool();
                if (volumeExists(session, pool, volume)) {
                    clashes.add("l1[" + i + "].disk.pool: volume " + volume + " already exists in pool " + pool + " on "
                            + uri + "; pick another guest name, or remove it (virsh vol-delete " + volume + " " + pool + ")");
                }
            }
        }
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", clashes));
        }
    }

    static boolean volumeExists(LibvirtSession session, String pool, String volume) throws HostException {
        try {
            return session.call("look up volume " + pool + "/" + volume, c -> {
                StoragePool storagePool = c.storagePoolLookupByName(pool);
                try {
                    StorageVol vol = storagePool.storageVolLookupByName(volume);
                    vol.free();
                    return true;
                } finally {
                    storagePool.free();
                }
            });
        } catch (LibvirtFailedException e) {
            // A missing pool fails later, while creating the volume, with libvirt's own message.
            if (e.errorNumber() == Error.ErrorNumber.VIR_ERR_NO_STORAGE_VOL
                    || e.errorNumber() == Error.ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                return false;
            }
            throw e;
        }
    }

    private ProvisionedGuest provisionOne(GuestSpec guest, L0Connection l0, Lifecycle lifecycle, OwnerTag owner,
            Progress progress) throws Exception {
        long start = System.nanoTime();
        String name = guest.name();
        String uri = l0.where();
        String host = l0.host().name();
        try (LibvirtSession session = l0.session()) {
            String pool = guest.disk().pool();
            String volume = VolumeXml.volumeName(guest);
            String diskPath = lifecycle.create(Resource.volume(uri, pool, volume, Level.L0),
                    () -> createVolume(session, guest));
            progress.info(name + ": disk " + diskPath + " (" + guest.disk().format() + ", " + guest.disk().size() + ")");
            // libvirt writes these two when the domain starts and keeps them after it is gone; recorded
            // first, so that teardown, which goes newest first, removes them after the domain.
            lifecycle.create(Resource.file(host, guest.serialLog(), Level.L0), () -> null);
            lifecycle.create(Resource.file(host, LIBVIRT_QEMU_LOGS + name + ".log", Level.L0), () -> null);
            String seedImage = guest.keyInjection() == KeyInjection.CLOUD_INIT
                    ? SeedImage.create(guest, diskPath, lifecycle, l0.host(), progress) : null;
            String xml = DomainXml.of(guest, diskPath, seedImage, owner);
            try (LibvirtDomain domain = lifecycle.create(Resource.domain(uri, name, Level.L1),
                    () -> session.define(xml))) {
                domain.start();
                progress.info(name + ": started, waiting for its address");
                GuestReadiness readiness = new GuestReadiness(name, l0.serialLog(guest.serialLog()),
                        settings.pollInterval());
                String address = readiness.address(domain, AddressDiscovery.of(guest.network(), ARP_SWEEP_INTERVAL),
                        settings.leaseTimeout()).getHostAddress();
                progress.info(name + ": address " + address + ", waiting for SSH");
                Duration sshTimeout = settings.sshTimeout();
                if (l0.isLocal()) {
                    readiness.portOpen(address, guest.ssh().port(), settings.portTimeout());
                } else {
                    // The address is on L0's network, reached through L0: the logins themselves wait for the port.
                    sshTimeout = sshTimeout.plus(settings.portTimeout());
                }
                ProvisionedGuest reached = guestAt(guest, address, 0, null);
                try (SshHost ssh = readiness.sshAnswers(l1Target(reached, l0), sshTimeout, knownHostsLock(reached))) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    progress.info(String.format("%s: ready after %.1f s, ssh %s", name, seconds, ssh.name()));
                    return guestAt(guest, address, seconds, null);
                }
            }
        }
    }

    /**
     * The L1's libvirt went away while its L2s were made: whatever took it (the L1's kernel killing
     * libvirtd for memory, a panic, a hang that ended the SSH session) is on the L1's console.
     */
    private static LibvirtFailedException withConsole(LibvirtFailedException e, GuestSpec l1, L0Connection l0) {
        ConsoleLog console = l0.serialLog(l1.serialLog());
        return e.with("last " + GuestReadiness.SERIAL_TAIL_LINES + " lines of L1 " + l1.name() + "'s serial log "
                + console.where() + ":\n" + console.tail(GuestReadiness.SERIAL_TAIL_LINES));
    }

    /** How the engine reaches an L1: directly, or through its remote L0. */
    private static SshTarget l1Target(ProvisionedGuest l1, L0Connection l0) {
        return l0.isLocal() ? l1.directTarget() : l1.directTarget().withVia(l0.route().directTarget());
    }

    /**
     * JSch reads known_hosts when a session starts and rewrites the whole file when it records a
     * new key, so two first logins recording into one file at once would lose one key: those
     * logins take turns. Other logins (keys only checked) need no turn.
     */
    private ReentrantLock knownHostsLock(ProvisionedGuest guest) {
        if (guest.hostKeyPolicy() != HostKeyPolicy.RECORD_NEW) {
            return new ReentrantLock();
        }
        return knownHostsLocks.computeIfAbsent(Path.of(guest.knownHosts()).toAbsolutePath().normalize(),
                file -> new ReentrantLock());
    }

    /** The guest as benchmarks reach it; {@code via} names the L1 an L2 is reached through, or is null. */
    static ProvisionedGuest guestAt(GuestSpec guest, String address, double secondsToReady, String via) {
        return new ProvisionedGuest(guest.name(), guest.level(), address, guest.ssh().user(), guest.ssh().port(),
                homePath(guest.ssh().identity()).toString(), guest.ssh().passphraseEnv(),
                homePath(guest.ssh().knownHosts()).toString(),
                guest.ssh().acceptNewHostKey() ? HostKeyPolicy.RECORD_NEW : HostKeyPolicy.STRICT, via,
                Math.round(secondsToReady * 10) / 10.0);
    }

    /** Creates the guest's volume in its pool and returns the path libvirt gave it. */
    static String createVolume(LibvirtSession session, GuestSpec guest) throws LibvirtFailedException {
        String pool = guest.disk().pool();
        String xml = VolumeXml.of(guest);
        return session.call("create volume " + VolumeXml.volumeName(guest) + " in pool " + pool, c -> {
            StoragePool storagePool = c.storagePoolLookupByName(pool);
            try {
                StorageVol volume = storagePool.storageVolCreateXML(xml, VolumeXml.createFlags(guest.disk()));
                try {
                    return volume.getPath();
                } finally {
                    volume.free();
                }
            } finally {
                storagePool.free();
            }
        });
    }

    /** One guest's provisioning, run on a worker thread: an L1 and then its L2s, or one L2. */
    @FunctionalInterface
    interface GuestWork {
        List<ProvisionedGuest> run(GuestSpec guest) throws Exception;
    }

    /**
     * Runs {@code work} for every guest on at most {@code parallelism} threads; returns the
     * results in the guests' order (each L1 followed by its L2s). The first failure interrupts the others, waits for them to
     * stop (so nothing is created behind the caller's teardown) and is thrown.
     */
    static List<ProvisionedGuest> inParallel(List<GuestSpec> guests, int parallelism, GuestWork work)
            throws HostException, IOException, InterruptedException {
        if (guests.isEmpty()) {
            return List.of();
        }
        int threads = Math.min(guests.size(), parallelism);
        AtomicInteger counter = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "nvmx-provision-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        CompletionService<List<ProvisionedGuest>> completion = new ExecutorCompletionService<>(executor);
        Map<Future<List<ProvisionedGuest>>, GuestSpec> submitted = new HashMap<>();
        try {
            for (GuestSpec guest : guests) {
                submitted.put(completion.submit(() -> work.run(guest)), guest);
            }
            Map<String, List<ProvisionedGuest>> done = new HashMap<>();
            for (int i = 0; i < guests.size(); i++) {
                Future<List<ProvisionedGuest>> finished = completion.take();
                try {
                    done.put(submitted.get(finished).name(), finished.get());
                } catch (ExecutionException e) {
                    throw rethrow(submitted.get(finished).name(), e.getCause());
                }
            }
            return guests.stream().flatMap(g -> done.get(g.name()).stream()).toList();
        } finally {
            executor.shutdownNow();
            boolean interrupted = Thread.interrupted();
            // Workers leave a readiness wait or an SSH login within a few seconds of the interrupt.
            executor.awaitTermination(1, TimeUnit.MINUTES);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static HostException rethrow(String guestName, Throwable cause)
            throws HostException, IOException, InterruptedException {
        if (cause instanceof HostException e) {
            throw e;
        }
        if (cause instanceof IOException e) {
            throw e;
        }
        if (cause instanceof InterruptedException e) {
            throw e;
        }
        if (cause instanceof RuntimeException e) {
            throw e;
        }
        if (cause instanceof java.lang.Error e) {
            throw e;
        }
        return new HostException(guestName, "provisioning failed: " + cause, cause);
    }

    /** {@code ~/x} as the user's home; other paths as they are. */
    static Path homePath(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + value.substring(1));
        }
        return Path.of(value);
    }
}
