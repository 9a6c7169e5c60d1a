package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.bench.Progress;
import io.github.nestedvirt.host.HostUnreachableException;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.StoragePool;

/**
 * The provisioner on libvirt's in-process test driver ({@code test:///default}, no daemon, no
 * guest boots): what it refuses before creating anything, and that a failure half-way leaves
 * everything to the caller's lifecycle, whose teardown removes it. The test driver's state lives
 * as long as a connection is open, so each test holds {@link #driver} open.
 */
class ProvisionerTest {

    private static final String URI = "test:///default";
    private static final Provisioner.Settings QUICK = new Provisioner.Settings(Duration.ofHours(1),
            Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(50), 4);

    @TempDir
    Path dir;
    private LibvirtSession driver;
    private String name;
    private Path identity;

    @BeforeEach
    void open() throws Exception {
        driver = LibvirtSession.open(URI);
        name = "nvmx-prov-" + UUID.randomUUID().toString().substring(0, 8);
        identity = Files.writeString(dir.resolve("id_test"), "not read before SSH\n");
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private Topology topology(String l1Extra, String pool) throws Exception {
        return new TopologyReader().read("""
                l0: {uri: "%s"}
                l1:
                  - name: %s
                    memory: 256M
                    domainType: qemu
                    allowTcg: true
                    network: {network: default}
                    disk: {size: 16M, pool: %s, preallocation: none}  # the test driver knows no preallocation flag
                    keyInjection: image
                    serialLog: %s
                    ssh: {identity: %s, knownHosts: %s}
                %s""".formatted(URI, name, pool, dir.resolve("serial.log"), identity, dir.resolve("known_hosts"),
                l1Extra), "t.yaml");
    }

    @Test
    void refusesWhatItCannotDoYetNamingEachFieldBeforeRecordingAnything() throws Exception {
        Topology topology = new TopologyReader().read("""
                l1:
                  - name: bridged
                    domainType: qemu
                    allowTcg: true
                    network: {bridge: nvmx-no-br}
                    ssh: {identity: /nonexistent/key}
                    l2:
                      - name: inner
                        memory: 1G
                        network: {bridge: br1}
                        ssh: {identity: /nonexistent/l2-key}
                """, "t.yaml");
        Path runDir = dir.resolve("run");
        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            assertThatThrownBy(() -> new Provisioner(QUICK).provision(topology, lifecycle, Progress.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("l1[0].ssh.publicKey: the cloud-init seed authorizes the public key"
                            + " /nonexistent/key.pub, which does not exist or cannot be read")
                    .hasMessageContaining("l1[0].ssh.identity: /nonexistent/key does not exist")
                    .hasMessageContaining("l1[0].network.bridge: there is no network device nvmx-no-br on this host")
                    // the L2 is checked too, before anything of its L1 exists
                    .hasMessageContaining("l1[0].l2[0].network.bridge: an L2 is found through its L1's libvirt leases")
                    .hasMessageContaining("l1[0].l2[0].keyInjection: cloud-init seed images are made for L1s only")
                    .hasMessageContaining("l1[0].l2[0].ssh.identity: /nonexistent/l2-key does not exist");
        }
        assertThat(TopologyRecord.read(runDir).resources()).isEmpty();
    }

    @Test
    void refusesARemoteL0WhoseLibvirtIsNotReachedOverSshNamingTheField() throws Exception {
        Topology topology = new TopologyReader().read("""
                l0: {uri: "qemu+tcp://lab-l0/session", ssh: {host: other-l0, via: l1}}
                l1: [{name: x, domainType: qemu, allowTcg: true, network: {bridge: br0}, keyInjection: image}]
                """, "t.yaml");
        assertThat(Provisioner.unsupported(topology)).contains(
                "l0.uri: qemu+tcp://lab-l0/session reaches a remote L0 by qemu+tcp; the engine reaches a remote L0's"
                        + " libvirt over SSH only: use qemu+ssh://USER@HOST/system, or l0.ssh with uri qemu:///system",
                "l0.uri: qemu+tcp://lab-l0/session names libvirt's /session daemon; on a remote L0 the guests are made"
                        + " in the system daemon: end the URI with /system",
                "l0.uri: qemu+tcp://lab-l0/session names host lab-l0 but l0.ssh.host is other-l0; name the same L0 in"
                        + " both, or leave one out",
                "l0.ssh.via: a remote L0 is reached directly from the engine; remove via",
                "l1[0].network.bridge: a bridged L1 on a remote L0 is not available yet (its address would be read"
                        + " from this machine's ARP table); attach it to a libvirt network of L0, e.g. network:"
                        + " {network: default}, or run nvmx on L0");
    }

    @Test
    void aRemoteL0ThatDoesNotAnswerIsRefusedNamingL0AndItsHostBeforeRecordingAnything() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Topology topology = new TopologyReader().read("""
                l0: {uri: "qemu+ssh://root@127.0.0.1:%d/system", ssh: {host: 127.0.0.1, port: %d, identity: %s}}
                l1: [{name: %s, domainType: qemu, allowTcg: true, network: {network: default}, keyInjection: image,
                      ssh: {identity: %s}}]
                """.formatted(closedPort, closedPort, identity, name, identity), "t.yaml");
        Path runDir = dir.resolve("run");
        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            assertThatThrownBy(() -> new Provisioner(QUICK).provision(topology, lifecycle, Progress.NONE))
                    .isInstanceOf(HostUnreachableException.class)
                    .hasMessageStartingWith("root@127.0.0.1:" + closedPort + ": l0: cannot reach the remote L0 root@127.0.0.1:"
                            + closedPort + " over SSH, so nothing was created there: ")
                    .hasMessageContaining("check l0.ssh (or the host in l0.uri)");
        }
        assertThat(TopologyRecord.read(runDir).resources()).isEmpty();
    }

    @Test
    void refusesAGuestWhoseDomainExistsAndLeavesThatDomainAlone() throws Exception {
        Topology topology = topology("", "default-pool");
        driver.define(LibvirtSessionTest.testDomainXml(name)).close();
        Path runDir = dir.resolve("run");
        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            assertThatThrownBy(() -> new Provisioner(QUICK).provision(topology, lifecycle, Progress.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("l1[0].name: a domain named " + name + " already exists on " + URI
                            + "; pick another name, or remove it (nvmx teardown of its run, or virsh undefine)");
        }
        assertThat(TopologyRecord.read(runDir).resources()).isEmpty();
        try (LibvirtDomain untouched = driver.find(name).orElseThrow()) {
            untouched.undefine();
        }
    }

    @Test
    void aMissingPoolFailsWithLibvirtsMessageAndTeardownFindsNothingLeft() throws Exception {
        Topology topology = topology("", "no-such-pool");
        Path runDir = dir.resolve("run");
        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            assertThatThrownBy(() -> new Provisioner(QUICK).provision(topology, lifecycle, Progress.NONE))
                    .isInstanceOf(LibvirtFailedException.class)
                    .hasMessageContaining("create volume " + name + ".qcow2 in pool no-such-pool")
                    .hasMessageContaining("no-such-pool");
        }
        assertThat(TopologyRecord.read(runDir).resources()).singleElement().satisfies(volume -> {
            assertThat(volume.kind()).isEqualTo(Resource.Kind.VOLUME);
            assertThat(volume.state()).isEqualTo(Resource.State.REMOVED);
        });
    }

    @Test
    void aGuestThatNeverAnswersSshFailsAndTheLifecycleRemovesItsDomainAndVolume() throws Exception {
        Topology topology = topology("", "default-pool");
        Path runDir = dir.resolve("run");
        try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
            // The test driver makes up a lease for an address no guest answers at. Some networks
            // (a transparent proxy) accept a TCP connection to port 22 of any address: there the
            // guest fails at its SSH login instead, which the engine must say just as clearly.
            assertThatThrownBy(() -> new Provisioner(QUICK).provision(topology, lifecycle, Progress.NONE))
                    .isInstanceOf(GuestNotReadyException.class)
                    .satisfies(e -> {
                        Matcher address = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(e.getMessage());
                        assertThat(address.find()).as(e.getMessage()).isTrue();
                        if (acceptsTcp(address.group(1), 22)) {
                            System.out.println("This network accepts TCP to port 22 of " + address.group(1)
                                    + ", where no guest is: " + e.getMessage());
                            assertThat(e).hasMessageStartingWith(name + ": no SSH login as root@" + address.group(1)
                                    + ":22 within ");
                        } else {
                            assertThat(e).hasMessageStartingWith(name + ": no TCP port 22 open on ");
                        }
                    });
            assertThat(driver.find(name)).isPresent();
            assertThat(volumes()).contains(name + ".qcow2");
            List<Resource> live = lifecycle.record().live();
            assertThat(live).extracting(Resource::kind).containsExactly(Resource.Kind.VOLUME, Resource.Kind.FILE,
                    Resource.Kind.FILE, Resource.Kind.DOMAIN);
            assertThat(live.get(2).name()).isEqualTo("/var/log/libvirt/qemu/" + name + ".log");
        }
        assertThat(driver.find(name)).isEmpty();
        assertThat(volumes()).doesNotContain(name + ".qcow2");
        assertThat(TopologyRecord.read(runDir).live()).isEmpty();
        assertThat(runDir.resolve(ProvisionedTopology.FILE_NAME)).doesNotExist();
    }

    private static boolean acceptsTcp(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> volumes() throws Exception {
        return driver.call("list volumes", c -> {
            StoragePool pool = c.storagePoolLookupByName("default-pool");
            try {
                return List.of(pool.listVolumes());
            } finally {
                pool.free();
            }
        });
    }
}
