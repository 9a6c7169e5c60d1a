package io.github.nestedvirt.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.plan.PlanException;
import io.github.nestedvirt.result.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyReaderTest {

    private final TopologyReader reader = new TopologyReader();

    @Test
    void defaultsAreTheSeedsTestEnvironment() throws Exception {
        Topology topology = reader.read("""
                l1:
                  - name: l1
                    l2:
                      - name: l2
                """, "min.yaml");

        assertThat(topology.l0()).isEqualTo(new L0Spec("qemu:///system", null));
        assertThat(topology.l0().isLocal()).isTrue();
        GuestSpec l1 = topology.l1().get(0);
        assertThat(l1.level()).isEqualTo(Level.L1);
        assertThat(l1.vcpus()).isEqualTo(4);
        assertThat(l1.memory()).isEqualTo(Size.gib(4));
        assertThat(l1.network()).isEqualTo(NetworkAttachment.bridge("br0"));
        assertThat(l1.cpu()).isEqualTo(CpuSpec.hostPassthrough());
        assertThat(l1.domainType()).isEqualTo(DomainType.KVM);
        assertThat(l1.disk().format()).isEqualTo(DiskSpec.Format.QCOW2);
        assertThat(l1.disk().preallocation()).isEqualTo(DiskSpec.Preallocation.METADATA);
        assertThat(l1.disk().cache()).isEqualTo(DiskSpec.Cache.NONE);
        assertThat(l1.keyInjection()).isEqualTo(KeyInjection.CLOUD_INIT);
        assertThat(l1.serialLog()).isEqualTo("/var/log/libvirt/qemu/l1-serial.log");
        assertThat(l1.ssh().user()).isEqualTo("root");
        assertThat(l1.ssh().publicKey()).isEqualTo("~/.ssh/id_ed25519.pub");
        GuestSpec l2 = l1.l2().get(0);
        assertThat(l2.level()).isEqualTo(Level.L2);
        assertThat(l2.vcpus()).isEqualTo(2);
        assertThat(l2.memory()).isEqualTo(Size.gib(2));
        assertThat(l2.network()).isEqualTo(NetworkAttachment.network("default"));
        assertThat(l2.disk().format()).isEqualTo(DiskSpec.Format.QCOW2);
        assertThat(l2.disk().cache()).isEqualTo(DiskSpec.Cache.NONE);
    }

    @Test
    void readsTheShippedTopologies() throws Exception {
        Topology seed = reader.read(Path.of("../plans/topology-seed.yaml"));
        GuestSpec l1 = seed.l1().get(0);
        assertThat(l1.name()).isEqualTo("nvmx-l1");
        assertThat(l1.disk().io()).isEqualTo(DiskSpec.Io.NATIVE);
        assertThat(l1.disk().base()).isEqualTo("/var/lib/libvirt/images/fedora-cloud-base.qcow2");
        assertThat(l1.l2()).extracting(GuestSpec::name).containsExactly("nvmx-l2");

        Topology tcg = reader.read(Path.of("../plans/topology-tcg-test.yaml"));
        GuestSpec tcgL1 = tcg.l1().get(0);
        assertThat(tcgL1.domainType()).isEqualTo(DomainType.QEMU);
        assertThat(tcgL1.allowTcg()).isTrue();
        assertThat(tcgL1.network()).isEqualTo(NetworkAttachment.network("default"));
        assertThat(tcgL1.boot().cmdline()).isEqualTo("quiet console=tty0 console=ttyS0,115200");
        assertThat(tcgL1.keyInjection()).isEqualTo(KeyInjection.IMAGE);

        Topology bridged = reader.read(Path.of("../plans/topology-bridged-tcg.yaml"));
        assertThat(bridged.l1()).hasSize(2).allSatisfy(guest -> {
            assertThat(guest.network()).isEqualTo(NetworkAttachment.bridge("br0", AddressSource.ARP));
            assertThat(guest.keyInjection()).isEqualTo(KeyInjection.CLOUD_INIT);
        });
    }

    @Test
    void serialConsoleIsEnsuredOnceOnTheKernelCommandLine() {
        assertThat(KernelBoot.withSerialConsole(null)).isEqualTo("console=tty0 console=ttyS0,115200");
        assertThat(KernelBoot.withSerialConsole("root=/dev/vda console=ttyS0,115200 ro"))
                .isEqualTo("root=/dev/vda console=ttyS0,115200 ro console=tty0");
        assertThat(KernelBoot.withSerialConsole("console=tty0 console=ttyS0,115200"))
                .isEqualTo("console=tty0 console=ttyS0,115200");
        // After "--" the words are init's arguments: the console must go before them to reach the kernel.
        assertThat(KernelBoot.withSerialConsole("rdinit=/bin/busybox -- poweroff -f console=tty0"))
                .isEqualTo("rdinit=/bin/busybox console=tty0 console=ttyS0,115200 -- poweroff -f console=tty0");
    }

    @Test
    void l2WithMoreMemoryThanItsL1IsRefusedWithPathAndLine() {
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    memory: 2G
                    l2:
                      - name: a
                        memory: 1G
                      - name: b
                        memory: 3G
                """, "lab.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("lab.yaml:8:9: l1[0].l2[1].memory: 3 GiB is more than its L1 has (2 GiB)")
                .hasMessageContaining("l1[0].l2: the L2 guests need 4 GiB together, more than their L1 has (2 GiB)");
    }

    @Test
    void packagesAreInstalledOnlyInAnL1ForItsL2s() throws Exception {
        assertThat(reader.read("""
                l1:
                  - name: l1
                    packages: {install: true}
                    l2: [{name: l2}]
                """, "ok.yaml").l1().get(0).packages().install()).isTrue();
        assertThat(reader.read("l1: [{name: l1}]", "default.yaml").l1().get(0).packages().install()).isFalse();
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: alone
                    packages: {install: true}
                  - name: l1
                    l2:
                      - name: l2
                        packages: {install: true}
                """, "packages.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("packages.yaml:3:16: l1[0].packages.install: qemu and libvirt are installed for"
                        + " L2 guests, and this L1 has none")
                .hasMessageContaining("packages.yaml:7:20: l1[1].l2[0].packages.install: packages are installed in an"
                        + " L1, for its L2s");
        assertThatThrownBy(() -> reader.read("l1: [{name: l1, packages: {install: yes-please}}]", "bad.yaml"))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("l1[0].packages.install");
    }

    @Test
    void duplicateAndUnsafeNamesAreRefused() {
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: twin
                    l2:
                      - name: twin
                  - name: "</name><evil/>"
                """, "names.yaml"))
                .hasMessageContaining("names.yaml:4:9: l1[0].l2[0].name: 'twin' is already the name of l1[0]")
                .hasMessageContaining("names.yaml:5:5: l1[1].name: '</name><evil/>' is not a usable guest name");
    }

    @Test
    void impossibleDiskCombinationsAreRefused() {
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    disk: {format: raw, preallocation: metadata, cache: writeback, io: native, base: images/base.qcow2}
                """, "disk.yaml"))
                .hasMessageContaining("l1[0].disk.io: native needs cache none (or directsync), got cache writeback")
                .hasMessageContaining("l1[0].disk.preallocation: metadata needs format qcow2")
                .hasMessageContaining("l1[0].disk.base: a base image needs format qcow2")
                .hasMessageContaining("l1[0].disk.base: must be an absolute path, got 'images/base.qcow2'");
    }

    @Test
    void tcgOnlyWhenAllowed() {
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    domainType: qemu
                """, "tcg.yaml"))
                .hasMessageContaining("tcg.yaml:3:5: l1[0].domainType: qemu is TCG emulation")
                .hasMessageContaining("set allowTcg: true");
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    domainType: qemu
                    allowTcg: true
                    cpu: {mode: host-passthrough}
                """, "tcg.yaml"))
                .hasMessageContaining("l1[0].cpu.mode: host-passthrough needs domainType kvm");
    }

    /** A TCG L2's QEMU fills a translation cache (1 GiB unless set) in its L1, beside the L2's memory. */
    @Test
    void aTcgL2CountsItsTranslationCacheInWhatItsL1Has() throws Exception {
        String l2 = """
                l1:
                  - name: l1
                    memory: 1G
                    domainType: qemu
                    allowTcg: true
                    l2:
                      - name: l2
                        memory: 256M
                        domainType: qemu
                        allowTcg: true
                """;
        assertThatThrownBy(() -> reader.read(l2, "nested.yaml"))
                .hasMessageContaining("nested.yaml:")
                .hasMessageContaining("l1[0].l2[0].tbCache: under TCG this L2's QEMU takes its memory (256 MiB)"
                        + " and a translation cache of 1 GiB (QEMU's default): 1280 MiB, more than its L1 has (1 GiB);"
                        + " set tbCache (e.g. 128M) or give the L1 more memory");
        Topology bounded = reader.read(l2 + "        tbCache: 128M\n", "nested.yaml");
        assertThat(bounded.l1().get(0).l2().get(0).tbCache()).isEqualTo(Size.mib(128));
        // a roomier L1 takes QEMU's default
        assertThat(reader.read(l2.replace("memory: 1G", "memory: 2G"), "nested.yaml").l1().get(0).l2().get(0).tbCache())
                .isNull();
        // two L2s of 256 MiB and 512 MiB of cache each do not fit in 1 GiB together
        assertThatThrownBy(() -> reader.read(l2 + """
                        tbCache: 512M
                      - name: l2b
                        memory: 256M
                        domainType: qemu
                        allowTcg: true
                        tbCache: 512M
                """, "nested.yaml"))
                .hasMessageContaining("l1[0].l2: the L2 guests need 1536 MiB together (their memory, and the translation"
                        + " cache of each under TCG), more than their L1 has (1 GiB)");
    }

    @Test
    void aTranslationCacheIsTcgsAndWholeMib() {
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    tbCache: 128M
                """, "kvm.yaml"))
                .hasMessageContaining("kvm.yaml:3:5: l1[0].tbCache: the translation cache is TCG's: give it with"
                        + " domainType: qemu, or remove it");
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    domainType: qemu
                    allowTcg: true
                    tbCache: 1500K
                """, "tcg.yaml"))
                .hasMessageContaining("l1[0].tbCache: 1500 KiB is not a whole number of MiB (at least 1), which"
                        + " QEMU's tb-size takes; write e.g. 128M");
    }

    @Test
    void wrongValuesAndUnknownKeysNameFileLineAndField() {
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    disk: {format: vmdk}
                """, "f.yaml"))
                .hasMessageStartingWith("f.yaml:3:")
                .hasMessageContaining("l1[0].disk.format: 'vmdk' is not a valid Format; allowed: [raw, qcow2]");
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    memroy: 2G
                """, "f.yaml"))
                .hasMessageContaining("f.yaml:3:5: l1[0]: unknown key 'memroy'; known keys:");
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    memory: 4 gigs
                """, "f.yaml"))
                .hasMessageContaining("f.yaml:3:")
                .hasMessageContaining("l1[0].memory: '4 gigs' is not a size; write e.g. 4G, 4096M or a number of bytes");
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    vcpus: 0
                """, "f.yaml"))
                .hasMessageContaining("l1[0]: must be at least 1, got 0");
        assertThatThrownBy(() -> reader.read("l1: []\n", "f.yaml"))
                .hasMessageContaining("l1: the topology names no L1 guest");
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    network: {bridge: br0, network: default}
                """, "f.yaml"))
                .hasMessageContaining("l1[0].network: give either bridge or network, not both");
    }

    @Test
    void aBridgedGuestsAddressSourceIsAutoUnlessGivenAndOnlyForABridge() throws Exception {
        Topology topology = reader.read("""
                l1:
                  - name: a
                  - name: b
                    network: {bridge: br1, address: arp}
                  - name: c
                    network: {bridge: br1, address: agent}
                """, "f.yaml");
        assertThat(topology.l1()).extracting(guest -> guest.network().address())
                .containsExactly(AddressSource.AUTO, AddressSource.ARP, AddressSource.AGENT);
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    network: {network: default, address: arp}
                """, "f.yaml"))
                .hasMessageContaining("l1[0].network.address: only a bridged guest needs an address source");
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    network: {bridge: br0, address: dhcp}
                """, "f.yaml"))
                .hasMessageStartingWith("f.yaml:3:")
                .hasMessageContaining("l1[0].network.address: 'dhcp' is not a valid AddressSource; allowed: [auto, agent, arp]");
    }

    @Test
    void sizesParseAsBinaryUnits() {
        assertThat(Size.parse("4G")).isEqualTo(Size.gib(4));
        assertThat(Size.parse("4096M")).isEqualTo(Size.gib(4));
        assertThat(Size.parse("4 GiB")).isEqualTo(Size.gib(4));
        assertThat(Size.parse("1536m")).isEqualTo(Size.mib(1536));
        assertThat(Size.parse("1000")).isEqualTo(new Size(1000));
        assertThat(Size.mib(1536)).hasToString("1536 MiB");
        assertThatThrownBy(() -> Size.parse("99999999999999999999G")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Size.parse("0")).hasMessageContaining("more than 0");
    }

    @Test
    void fromMapChecksLikeAFile() throws Exception {
        Topology topology = reader.fromMap(Map.of("l1", List.of(Map.of("name", "l1", "memory", "8G"))), "step");
        assertThat(topology.l1().get(0).memory()).isEqualTo(Size.gib(8));
        assertThatThrownBy(() -> reader.fromMap(Map.of("l1", List.of(Map.of("name", "bad name"))), "step"))
                .hasMessageStartingWith("step: l1[0].name: 'bad name' is not a usable guest name");
    }

    @Test
    void ownerTagRoundTripsThroughDomainXmlAndIgnoresOthers() throws Exception {
        OwnerTag owner = new OwnerTag("run-1", 42, "l0.example", Instant.parse("2026-11-25T14:00:00Z"),
                Instant.parse("2026-11-26T14:00:00Z"));
        assertThat(owner.toXml()).isEqualTo("<nvmx:owner xmlns:nvmx=\"urn:nested-virt:owner:1\" run=\"run-1\" pid=\"42\""
                + " host=\"l0.example\" created=\"2026-11-25T14:00:00Z\" expires=\"2026-11-26T14:00:00Z\"/>");
        // As libvirt returns it: another prefix, other metadata around it.
        String fromLibvirt = """
                <domain type='kvm'><name>l1</name><metadata>
                  <other:x xmlns:other="urn:other"/>
                  <o:owner xmlns:o="urn:nested-virt:owner:1" run="run-1" pid="42" host="l0.example"
                      created="2026-11-25T14:00:00Z" expires="2026-11-26T14:00:00Z"/>
                </metadata></domain>""";
        assertThat(OwnerTag.fromDomainXml(fromLibvirt)).contains(owner);
        assertThat(OwnerTag.fromDomainXml("<domain><name>theirs</name></domain>")).isEmpty();
        assertThat(OwnerTag.fromDomainXml("<domain><metadata><owner run='r'/></metadata></domain>"))
                .as("same local name, no namespace: not ours").isEmpty();
        assertThat(OwnerTag.fromDomainXml("<d xmlns:n='urn:nested-virt:owner:1'><n:owner run='r' pid='x'/></d>"))
                .as("malformed tag").isEmpty();
        assertThat(OwnerTag.fromDomainXml("not xml")).isEmpty();
    }
}
