package io.github.nestedvirt.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.host.SshHost;
import io.github.nestedvirt.lifecycle.Lifecycle;
import io.github.nestedvirt.lifecycle.Resource;
import io.github.nestedvirt.lifecycle.TopologyRecord;
import io.github.nestedvirt.topology.Topology;
import io.github.nestedvirt.topology.TopologyReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.StoragePool;

/**
 * Real L1s on a host bridge, as in the seed ({@code br0}), under the real libvirtd: the test makes
 * its own bridge with a dnsmasq serving DHCP on it ({@link TestBridge}), and the
 * {@link Provisioner} boots {@link TestGuestImage} with {@code <interface type='bridge'>} under
 * TCG and finds its address with no libvirt lease. With {@code auto} the guest agent does not
 * answer (that image has none), so L0's ARP table gives it; there the DHCP server runs in a
 * namespace of its own, as a lab's runs on another machine, so that only the engine's sweep of the
 * bridge puts the guest into that table. With {@code agent}, the image that runs qemu-ga tells it.
 * The guest also gets a cloud-init seed ISO as its CD-ROM (the test image does not run
 * cloud-init; its key is baked in), recorded and removed like the rest.
 *
 * <p>Needs root and a running libvirtd with the {@code default} storage pool
 * ({@code scripts/start-libvirt.sh}).
 */
@Tag("libvirt")
class BridgedL1Test {

    private static final String URI = "qemu:///system";

    private LibvirtSession session;
    private String name;
    private Path guestDir;
    private Path runDir;

    @BeforeAll
    static void needsLibvirtd() throws Exception {
        // Also says why it skips: not root, or no libvirtd.
        L1EndToEndTest.removeLeftoversOfCrashedRuns();
    }

    @BeforeEach
    void prepare() throws Exception {
        session = LibvirtSession.open(URI);
        // L1EndToEndTest's pattern, so that its clean-up also removes what a crashed run of this test left.
        name = L1EndToEndTest.PREFIX + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        guestDir = Files.createTempDirectory("nvmx-test-bridged-");
        Files.setPosixFilePermissions(guestDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        runDir = guestDir.resolve("run");
    }

    @AfterEach
    void close() throws Exception {
        try {
            TestGuestImage.deleteTree(guestDir);
        } finally {
            session.close();
        }
    }

    @Test
    void aBridgedL1IsFoundByArpAnswersSshWithItsSeedAttachedAndLeavesNothing() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        String bridgeName;
        String seedPath;
        try (TestBridge bridge = TestBridge.create(TestBridge.Dhcp.ELSEWHERE)) {
            bridgeName = bridge.name();
            Topology topology = topology(image, bridge, "auto", "cloud-init", "");
            ProvisionedGuest guest;
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                long start = System.nanoTime();
                guest = new Provisioner(Provisioner.Settings.defaults()).provision(topology, lifecycle, L1EndToEndTest.PRINT)
                        .guest(name);
                System.out.printf("Provision 1 bridged L1 (ARP): %.1f s%n", (System.nanoTime() - start) / 1e9);

                // The address the engine found is the one the bridge's DHCP server leased to the guest's MAC.
                String mac;
                String liveXml;
                try (LibvirtDomain domain = session.find(name).orElseThrow()) {
                    liveXml = domain.xml();
                }
                mac = liveXml.replaceAll("(?s).*<mac address='([0-9a-f:]+)'/>.*", "$1");
                assertThat(guest.address()).startsWith(bridge.prefix());
                assertThat(Files.readAllLines(bridge.leaseFile())).anySatisfy(lease ->
                        assertThat(lease.split(" ")).contains(mac, guest.address()));
                assertThat(liveXml).contains("<interface type='bridge'>", "<source bridge='" + bridge.name() + "'/>",
                        "org.qemu.guest_agent.0");

                // The seed ISO is the domain's CD-ROM and was recorded before the domain.
                seedPath = liveXml.replaceAll("(?s).*<disk type='file' device='cdrom'>.*?<source file='([^']+)'.*", "$1");
                assertThat(seedPath).endsWith("/" + name + "-seed.iso");
                assertThat(Path.of(seedPath)).isRegularFile();
                assertThat(lifecycle.record().live()).extracting(Resource::kind).containsExactly(Resource.Kind.VOLUME,
                        Resource.Kind.FILE, Resource.Kind.FILE, Resource.Kind.SEED_IMAGE, Resource.Kind.DOMAIN);

                try (SshHost l1 = SshHost.connect(guest.directTarget())) {
                    assertThat(l1.run("ip -4 -o addr show dev eth0", Duration.ofSeconds(30)).orThrow(name).stdout())
                            .contains(guest.address() + "/24");
                }
                assertThat(lifecycle.tearDown().complete()).isTrue();
            }
        }
        assertThat(TestBridge.exists(bridgeName)).isFalse();
        assertThat(Path.of(seedPath)).doesNotExist();
        assertNothingLeft(5);
    }

    @Test
    void aBridgedL1WithTheGuestAgentIsFoundThroughTheAgent() throws Exception {
        TestGuestImage image = TestGuestImage.withGuestAgent();
        try (TestBridge bridge = TestBridge.create(TestBridge.Dhcp.ON_L0)) {
            // address: agent never looks at ARP: the address can only come from qemu-ga in the guest.
            Topology topology = topology(image, bridge, "agent", "image", "");
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                long start = System.nanoTime();
                ProvisionedGuest guest = new Provisioner(Provisioner.Settings.defaults())
                        .provision(topology, lifecycle, L1EndToEndTest.PRINT).guest(name);
                System.out.printf("Provision 1 bridged L1 (guest agent): %.1f s%n", (System.nanoTime() - start) / 1e9);
                assertThat(guest.address()).startsWith(bridge.prefix());
                assertThat(Files.readString(bridge.leaseFile())).contains(" " + guest.address() + " ");
                try (SshHost l1 = SshHost.connect(guest.directTarget())) {
                    assertThat(l1.run("pidof qemu-ga", Duration.ofSeconds(30)).orThrow(name).stdout()).isNotBlank();
                }
                assertThat(lifecycle.tearDown().complete()).isTrue();
            }
        }
        assertNothingLeft(4);
    }

    @Test
    void aBridgedL1WithoutDhcpFailsWithWhatWasTriedAndItsSerialLogAndLeavesNothing() throws Exception {
        TestGuestImage image = TestGuestImage.get();
        try (TestBridge bridge = TestBridge.create(TestBridge.Dhcp.NONE)) {
            Topology topology = topology(image, bridge, "arp", "image", "");
            Provisioner provisioner = new Provisioner(Provisioner.Settings.defaults()
                    .withTimeouts(Duration.ofSeconds(25), Duration.ofSeconds(10), Duration.ofSeconds(10)));
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                assertThatThrownBy(() -> provisioner.provision(topology, lifecycle, L1EndToEndTest.PRINT))
                        .isInstanceOf(GuestNotReadyException.class)
                        .hasMessageStartingWith(name + ": no IPv4 address from L0's ARP table (bridge " + bridge.name()
                                + ") within 25 s (last attempt: no entry for the guest's MAC in L0's ARP table")
                        .hasMessageContaining("last 40 lines of its serial log " + guestDir.resolve(name + "-serial.log"))
                        // busybox udhcpc asks and asks: nobody serves DHCP on this bridge.
                        .hasMessageContaining("udhcpc: broadcasting discover")
                        .satisfies(e -> System.out.println("A bridged guest without DHCP: " + e.getMessage()));
            }
        }
        assertNothingLeft(4);
    }

    @Test
    void aSeedImageOfTheSameNameIsLeftAloneAndTheGuestRefused() throws Exception {
        String poolDir = session.call("read pool default", c -> {
            StoragePool pool = c.storagePoolLookupByName("default");
            try {
                return pool.getXMLDesc(0).replaceAll("(?s).*<target>\\s*<path>([^<]+)</path>.*", "$1");
            } finally {
                pool.free();
            }
        });
        Path foreign = Path.of(poolDir, name + "-seed.iso");
        Files.writeString(foreign, "not ours");
        try {
            String yaml = TestTopology.yaml(List.of(name), TestGuestImage.get(), "", guestDir)
                    .replace("keyInjection: image", "keyInjection: cloud-init");
            Topology topology = new TopologyReader().read(yaml, "seeded.yaml");
            try (Lifecycle lifecycle = Lifecycle.open(runDir)) {
                assertThatThrownBy(() -> new Provisioner(Provisioner.Settings.defaults())
                        .provision(topology, lifecycle, L1EndToEndTest.PRINT))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(name + ": " + foreign + " already exists; remove it (a seed image of an earlier run?)"
                                + " or pick another guest name");
            }
            assertThat(Files.readString(foreign)).isEqualTo("not ours");
            assertThat(TopologyRecord.read(runDir).resources()).extracting(Resource::kind)
                    .doesNotContain(Resource.Kind.SEED_IMAGE, Resource.Kind.DOMAIN);
            assertThat(L1EndToEndTest.volumes(session)).doesNotContain(name + ".qcow2");
        } finally {
            Files.deleteIfExists(foreign);
        }
    }

    private Topology topology(TestGuestImage image, TestBridge bridge, String address, String keyInjection,
            String extraCmdline) throws Exception {
        String yaml = TestTopology.yaml(List.of(name), image, extraCmdline, guestDir,
                "{bridge: " + bridge.name() + ", address: " + address + "}")
                .replace("keyInjection: image", "keyInjection: " + keyInjection);
        return new TopologyReader().read(yaml, "bridged.yaml");
    }

    private void assertNothingLeft(int resources) throws Exception {
        List<String> volumes = L1EndToEndTest.volumes(session);
        assertThat(TopologyRecord.read(runDir).resources()).hasSize(resources).allSatisfy(r ->
                assertThat(r.state()).isEqualTo(Resource.State.REMOVED));
        assertThat(session.find(name)).isEmpty();
        assertThat(volumes).doesNotContain(name + ".qcow2").doesNotContain(name + "-seed.iso");
        assertThat(guestDir.resolve(name + "-serial.log")).doesNotExist();
        assertThat(Path.of(Provisioner.LIBVIRT_QEMU_LOGS, name + ".log")).doesNotExist();
    }
}
