package io.github.nestedvirt.provision;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.facts.KvmProbe;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.host.Host;
import io.github.nestedvirt.host.HostException;
import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.host.SshTarget;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.result.Level;
import io.github.nestedvirt.topology.DomainType;
import io.github.nestedvirt.topology.DomainXml;
import io.github.nestedvirt.topology.GuestSpec;
import io.github.nestedvirt.topology.LibvirtNetwork;
import io.github.nestedvirt.topology.OwnerTag;
import io.github.nestedvirt.topology.VolumeXml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.libvirt.Connect;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.Network;

/**
 * Brings up the L2 guests of one L1 inside it, once that L1 answers SSH: checks that the L1 can
 * run them (VMX and a usable {@code /dev/kvm} for {@code domainType: kvm}; qemu and a running
 * libvirtd, installed by {@link VirtualizationPackages} when {@code packages.install} allows), then creates each L2's volume and domain through the L1's own libvirt (and the
 * L1's {@code default} network, when it has none)
 * ({@link RemoteLibvirt}), waits for its address in the L1's DHCP leases and for SSH through the L1.
 *
 * <p>Every L2 resource is recorded before it is created, marked as living inside its L1, under
 * the {@code qemu+ssh} URI of the L1's libvirt; the lifecycle reaches it through the same relay
 * for teardown, before the L1 itself goes. The L2s of one L1 come up in parallel, at most
 * {@link Provisioner.Settings#parallelism} at a time, over the L1's one SSH session and libvirt
 * connection (both take concurrent calls).
 */
final class NestedProvisioner {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(90);

    /**
     * How long the KVM probe's guest may take to start in an L1: on an L1 that is itself emulated (or
     * busy) it can take longer than a bare host's 10 s, and a hang is still told apart within a minute.
     */
    static final Duration L1_PROBE_TIMEOUT = Duration.ofMinutes(1);

    private final Provisioner.Settings settings;
    private final Function<ProvisionedGuest, ReentrantLock> knownHostsLock;

    /**
     * @param knownHostsLock the turn a first login must take to record its host key (shared with the L1s' logins)
     */
    NestedProvisioner(Provisioner.Settings settings, Function<ProvisionedGuest, ReentrantLock> knownHostsLock) {
        this.settings = settings;
        this.knownHostsLock = knownHostsLock;
    }

    /**
     * Provisions the L2s of {@code l1Spec}.
     *
     * @param at the L1's field path, e.g. {@code l1[0]}, for messages
     * @param l1Target how the engine reaches the L1 (its host key is known by now)
     * @return the L2s, in the order of the spec, each reached through the L1
     */
    List<ProvisionedGuest> provision(String at, GuestSpec l1Spec, SshTarget l1Target, Lifecycle lifecycle,
            OwnerTag owner, Progress progress) throws Exception {
        SshHost l1 = SshHost.connect(l1Target);
        RemoteLibvirt libvirt = null;
        boolean handedToLifecycle = false;
        try {
            checkNesting(at, l1Spec, l1, progress);
            checkVirtualizationStack(at, l1Spec, l1, progress);
            RemoteLibvirt relay = RemoteLibvirt.open(l1);
            libvirt = relay;
            String where = relay.recordedUri();
            lifecycle.reachRemote(where, uri -> new Connect(relay.uri()), l1, () -> {
                relay.close();
                l1.close();
            });
            handedToLifecycle = true;
            try (LibvirtSession session = relay.session()) {
                refuseExisting(at, l1Spec, session, where);
                ensureNetworks(at, l1Spec, session, where, lifecycle, progress);
                // in parallel, bounded as the L1s are: each waits for its lease and SSH most of the time
                return Provisioner.inParallel(l1Spec.l2(), settings.parallelism(), l2 -> List.of(
                        provisionOne(l2, l1Spec.name(), l1, l1Target, session, where, lifecycle, owner, progress)));
            }
        } finally {
            if (!handedToLifecycle) {
                if (libvirt != null) {
                    libvirt.close();
                }
                l1.close();
            }
        }
    }

    /**
     * An L2 under KVM needs VMX in its L1 and a {@code /dev/kvm} that really runs a guest there;
     * under TCG (allowed by the spec, or the validator would have refused it) it needs neither,
     * and that is said, so nobody mistakes its timings for nested KVM.
     */
    private static void checkNesting(String at, GuestSpec l1Spec, SshHost l1, Progress progress)
            throws HostException, InterruptedException {
        String flags = l1.run("grep -c -w -E 'vmx|svm' /proc/cpuinfo; test -e /dev/kvm && echo kvm-device",
                CHECK_TIMEOUT).stdout();
        boolean vmx = !flags.lines().findFirst().orElse("0").strip().equals("0");
        boolean device = flags.contains("kvm-device");
        List<Integer> kvmGuests = new ArrayList<>();
        for (int j = 0; j < l1Spec.l2().size(); j++) {
            if (l1Spec.l2().get(j).domainType() == DomainType.KVM) {
                kvmGuests.add(j);
            }
        }
        if (kvmGuests.isEmpty()) {
            progress.info(l1Spec.name() + ": " + (vmx ? "its CPU shows vmx or svm" : "its CPU shows neither vmx nor svm")
                    + (device ? ", /dev/kvm present" : ", no /dev/kvm")
                    + "; its L2s run under TCG emulation, as their spec allows (domainType qemu, allowTcg: true)");
            return;
        }
        String why;
        if (!vmx) {
            why = "/proc/cpuinfo there has no vmx (or svm) flag: the L1 runs under TCG emulation, or its CPU lacks vmx";
        } else if (!device) {
            why = "it has VMX but no /dev/kvm: load kvm_intel (or kvm_amd) in the L1";
        } else {
            KvmStatus status = new KvmProbe(L1_PROBE_TIMEOUT).probe(l1);
            why = status.usable() ? null : "/dev/kvm there does not run a guest: " + status.detail();
        }
        if (why != null) {
            StringBuilder message = new StringBuilder();
            for (int j : kvmGuests) {
                message.append(message.isEmpty() ? "" : "\n").append(at).append(".l2[").append(j)
                        .append("].domainType: kvm needs working KVM in L1 ").append(l1Spec.name()).append(", but ")
                        .append(why).append("; run the L1 under KVM with a VMX CPU, or set domainType: qemu and"
                                + " allowTcg: true on the L2 to run it under TCG emulation");
            }
            throw new HostException(l1.name(), message.toString());
        }
    }

    /**
     * qemu and a running libvirtd in the L1 (libvirtd may start a little after SSH does); installed
     * with the L1's package manager first when they are missing and {@code packages.install} allows it.
     */
    static void checkVirtualizationStack(String at, GuestSpec l1Spec, Host l1, Progress progress)
            throws HostException, InterruptedException {
        List<String> missing = missingStack(l1);
        if (!missing.isEmpty() && l1Spec.packages().install()) {
            progress.info(l1Spec.name() + ": " + String.join(", ", missing));
            VirtualizationPackages.install(at + ".packages", l1Spec.name(), l1, progress);
            missing = missingStack(l1);
        }
        if (!missing.isEmpty()) {
            throw new HostException(l1.name(), at + ".l2: L1 " + l1Spec.name() + " cannot run L2 guests: "
                    + String.join(", ", missing) + (l1Spec.packages().install()
                    ? " after installing qemu and libvirt there; look at the L1's package sources and libvirtd's log"
                    : "; install qemu-system-x86 and libvirt-daemon-system in the L1's image and start libvirtd"
                    + " there, or let nvmx do it with packages: {install: true} on " + at));
        }
    }

    private static List<String> missingStack(Host l1) throws HostException, InterruptedException {
        return l1.run("""
                command -v qemu-system-x86_64 >/dev/null || echo 'no qemu-system-x86_64'
                command -v virt-ssh-helper >/dev/null || command -v nc >/dev/null || echo 'neither virt-ssh-helper nor nc'
                if command -v libvirtd >/dev/null; then
                  i=0; while [ ! -S /var/run/libvirt/libvirt-sock ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done
                  [ -S /var/run/libvirt/libvirt-sock ] || echo 'no running libvirtd (no /var/run/libvirt/libvirt-sock)'
                else
                  echo 'no libvirtd'
                fi
                """, CHECK_TIMEOUT).stdout().strip().lines().toList();
    }

    /** An L2 name or volume already in the L1's libvirt would be removed by this run's teardown: refuse. */
    private static void refuseExisting(String at, GuestSpec l1Spec, LibvirtSession session, String where)
            throws HostException {
        List<String> clashes = new ArrayList<>();
        for (int j = 0; j < l1Spec.l2().size(); j++) {
            GuestSpec l2 = l1Spec.l2().get(j);
            if (session.find(l2.name()).isPresent()) {
                clashes.add(at + ".l2[" + j + "].name: a domain named " + l2.name() + " already exists on " + where
                        + "; pick another name, or remove it there");
            }
            if (Provisioner.volumeExists(session, l2.disk().pool(), VolumeXml.volumeName(l2))) {
                clashes.add(at + ".l2[" + j + "].disk.pool: volume " + VolumeXml.volumeName(l2) + " already exists in"
                        + " pool " + l2.disk().pool() + " on " + where + "; pick another guest name, or remove it there");
            }
        }
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", clashes));
        }
    }

    /**
     * The networks the L2s are on must exist in the L1. A missing {@code default} is created (and
     * recorded) as {@link LibvirtNetwork#defaultInsideL1()}, on 192.168.124.0/24: a fresh libvirt
     * would put it on 192.168.122.0/24, the subnet the L1 itself may sit on, and break its routing.
     * An existing network is used as it is, started if it is not running.
     */
    private static void ensureNetworks(String at, GuestSpec l1Spec, LibvirtSession session, String where,
            Lifecycle lifecycle, Progress progress) throws Exception {
        Set<String> checked = new HashSet<>();
        for (int j = 0; j < l1Spec.l2().size(); j++) {
            String name = l1Spec.l2().get(j).network().network();
            if (!checked.add(name)) {
                continue;
            }
            Optional<Boolean> active = networkActive(session, name);
            if (active.isEmpty() && name.equals(LibvirtNetwork.defaultInsideL1().name())) {
                String xml = LibvirtNetwork.defaultInsideL1().toXml();
                lifecycle.create(Resource.network(where, name, Level.L1).inside(l1Spec.name()),
                        () -> session.call("define and start network " + name, c -> start(c.networkDefineXML(xml))));
                progress.info(l1Spec.name() + ": created network " + name + " on "
                        + LibvirtNetwork.defaultInsideL1().address() + "/24 for its L2s");
            } else if (active.isEmpty()) {
                throw new HostException(where, at + ".l2[" + j + "].network.network: L1 " + l1Spec.name()
                        + " has no libvirt network " + name + "; define it there, or use default"
                        + " (created on 192.168.124.0/24 when missing)");
            } else if (!active.get()) {
                session.call("start network " + name, c -> start(c.networkLookupByName(name)));
                progress.info(l1Spec.name() + ": started its network " + name);
            }
        }
    }

    private static Void start(Network network) throws LibvirtException {
        try {
            network.create();
            return null;
        } finally {
            network.free();
        }
    }

    /** Whether the network runs; empty when the L1's libvirt has no network of that name. */
    private static Optional<Boolean> networkActive(LibvirtSession session, String name) throws LibvirtFailedException {
        try {
            return Optional.of(session.call("look up network " + name, c -> {
                Network network = c.networkLookupByName(name);
                try {
                    return network.isActive() == 1;
                } finally {
                    network.free();
                }
            }));
        } catch (LibvirtFailedException e) {
            if (e.errorNumber() == Error.ErrorNumber.VIR_ERR_NO_NETWORK) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private ProvisionedGuest provisionOne(GuestSpec l2, String l1Name, SshHost l1, SshTarget l1Target,
            LibvirtSession session, String where, Lifecycle lifecycle, OwnerTag owner, Progress progress)
            throws Exception {
        long start = System.nanoTime();
        String name = l2.name();
        String pool = l2.disk().pool();
        String diskPath = lifecycle.create(
                Resource.volume(where, pool, VolumeXml.volumeName(l2), Level.L1).inside(l1Name),
                () -> Provisioner.createVolume(session, l2));
        progress.info(name + ": disk " + diskPath + " in " + l1Name + " (" + l2.disk().format() + ", "
                + l2.disk().size() + ")");
        // Written by the L1's libvirt when the domain starts; removed after it, as on L0.
        lifecycle.create(Resource.file(l1.name(), l2.serialLog(), Level.L1).inside(l1Name), () -> null);
        lifecycle.create(Resource.file(l1.name(), Provisioner.LIBVIRT_QEMU_LOGS + name + ".log", Level.L1)
                .inside(l1Name), () -> null);
        String xml = DomainXml.of(l2, diskPath, null, owner);
        try (LibvirtDomain domain = lifecycle.create(Resource.domain(where, name, Level.L2).inside(l1Name),
                () -> session.define(xml))) {
            domain.start();
            progress.info(name + ": started in " + l1Name + ", waiting for its address");
            GuestReadiness readiness = new GuestReadiness(name, new RemoteSerialLog(l1, l2.serialLog()),
                    settings.pollInterval());
            // An L2 boots inside an emulated or nested CPU: it gets twice an L1's waits, for its lease and its login.
            String address = readiness.leaseAddress(domain, settings.leaseTimeout().multipliedBy(2)).getHostAddress();
            progress.info(name + ": address " + address + " in " + l1Name + ", waiting for SSH through it");
            ProvisionedGuest reached = Provisioner.guestAt(l2, address, 0, l1Name);
            try (SshHost ssh = readiness.sshAnswers(reached.directTarget().withVia(l1Target), settings.sshTimeout().multipliedBy(2),
                    knownHostsLock.apply(reached))) {
                double seconds = (System.nanoTime() - start) / 1e9;
                progress.info(String.format("%s: ready after %.1f s, ssh %s", name, seconds, ssh.name()));
                return Provisioner.guestAt(l2, address, seconds, l1Name);
            }
        }
    }
}
