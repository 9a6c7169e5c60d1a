package io.github.nestedvirt.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.nestedvirt.result.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Domain, volume and network XML compared with golden files and validated with libvirt's own
 * schemas; hostile names and paths stay text.
 */
class DocumentsTest {

    /** Set -Dnvmx.golden.update=true to rewrite the golden files after an intended change. */
    private static final boolean UPDATE = Boolean.getBoolean("nvmx.golden.update");

    private static final OwnerTag OWNER = new OwnerTag("20261125T140000Z-abc123", 1234, "lab-l0",
            Instant.parse("2026-11-25T14:00:00Z"), Instant.parse("2026-11-26T14:00:00Z"));

    @TempDir
    Path dir;

    private final TopologyReader reader = new TopologyReader();

    private Topology seed() throws Exception {
        return reader.read(Path.of("../plans/topology-seed.yaml"));
    }

    private Topology tcg() throws Exception {
        return reader.read(Path.of("../plans/topology-tcg-test.yaml"));
    }

    @Test
    void seedL1DomainMatchesGoldenAndValidates() throws Exception {
        GuestSpec l1 = seed().l1().get(0);
        String xml = DomainXml.of(l1, "/var/lib/libvirt/images/nvmx-l1.qcow2", "/var/lib/libvirt/images/nvmx-l1-seed.iso", OWNER);

        assertGolden(xml, "domain-seed-l1.xml");
        assertValid(xml, "domain");
        Document doc = parse(xml);
        assertThat(doc.getDocumentElement().getAttribute("type")).isEqualTo("kvm");
        assertThat(only(doc, "cpu").getAttribute("mode")).isEqualTo("host-passthrough");
        Element disk = (Element) doc.getElementsByTagName("driver").item(0);
        assertThat(disk.getAttribute("cache")).isEqualTo("none");
        assertThat(disk.getAttribute("type")).isEqualTo("qcow2");
        assertThat(only(doc, "interface").getAttribute("type")).isEqualTo("bridge");
    }

    @Test
    void seedL2DomainMatchesGoldenAndValidates() throws Exception {
        GuestSpec l2 = seed().l1().get(0).l2().get(0);
        String xml = DomainXml.of(l2, "/var/lib/libvirt/images/nvmx-l2.qcow2", "/var/lib/libvirt/images/nvmx-l2-seed.iso", OWNER);

        assertGolden(xml, "domain-seed-l2.xml");
        assertValid(xml, "domain");
        Document doc = parse(xml);
        assertThat(only(doc, "interface").getAttribute("type")).isEqualTo("network");
        assertThat(only(doc, "memory").getTextContent()).isEqualTo("2097152");
        assertThat(only(doc, "vcpu").getTextContent()).isEqualTo("2");
    }

    @Test
    void tcgL1WithDirectKernelBootMatchesGoldenAndValidates() throws Exception {
        GuestSpec l1 = tcg().l1().get(0);
        String xml = DomainXml.of(l1, "/var/lib/libvirt/images/nvmx-tcg-l1.qcow2", null, OWNER);

        assertGolden(xml, "domain-tcg-l1.xml");
        assertValid(xml, "domain");
        Document doc = parse(xml);
        assertThat(doc.getDocumentElement().getAttribute("type")).isEqualTo("qemu");
        assertThat(only(doc, "cmdline").getTextContent()).isEqualTo("quiet console=tty0 console=ttyS0,115200");
        assertThat(only(doc, "log").getAttribute("file")).isEqualTo("/var/log/libvirt/qemu/nvmx-tcg-l1-serial.log");
        assertThat(doc.getElementsByTagName("feature").getLength()).as("TCG emulates no VMX").isZero();
    }

    /** libvirt passes the cache to QEMU as {@code -accel tcg,tb-size=} (in MiB); the schema accepts it. */
    @Test
    void aTcgGuestsTranslationCacheIsInItsFeaturesAndValidates() throws Exception {
        String yaml = Files.readString(Path.of("../plans/topology-tcg-test.yaml")).replace("    allowTcg: true\n",
                "    allowTcg: true\n    tbCache: 128M\n");
        GuestSpec l1 = reader.read(yaml, "tcg.yaml").l1().get(0);
        String xml = DomainXml.of(l1, "/var/lib/libvirt/images/nvmx-tcg-l1.qcow2", null, OWNER);

        assertValid(xml, "domain");
        Element cache = only(parse(xml), "tb-cache");
        assertThat(cache.getParentNode().getNodeName()).isEqualTo("tcg");
        assertThat(cache.getParentNode().getParentNode().getNodeName()).isEqualTo("features");
        assertThat(cache.getAttribute("unit")).isEqualTo("KiB");
        assertThat(cache.getTextContent()).isEqualTo("131072");
        assertThat(parse(DomainXml.of(tcg().l1().get(0), "/d.qcow2", null, OWNER)).getElementsByTagName("tcg")
                .getLength()).as("QEMU's own cache unless asked").isZero();
    }

    /** The L1 of plans/topology-tcg-l2.yaml: L0's root shared read-only, and an L2 on the L1's own network. */
    @Test
    void hypervisorL1SharingTheHostRootAndItsL2Validate() throws Exception {
        GuestSpec l1 = reader.read(Path.of("../plans/topology-tcg-l2.yaml")).l1().get(0);
        String xml = DomainXml.of(l1, "/var/lib/libvirt/images/nvmx-tcg-hv.qcow2", null, OWNER);

        assertValid(xml, "domain");
        Element filesystem = only(parse(xml), "filesystem");
        assertThat(filesystem.getAttribute("type")).isEqualTo("mount");
        assertThat(filesystem.getAttribute("accessmode")).isEqualTo("passthrough");
        assertThat(((Element) filesystem.getElementsByTagName("source").item(0)).getAttribute("dir")).isEqualTo("/");
        assertThat(((Element) filesystem.getElementsByTagName("target").item(0)).getAttribute("dir")).isEqualTo("l0root");
        assertThat(filesystem.getElementsByTagName("readonly").getLength()).isEqualTo(1);

        GuestSpec l2 = l1.l2().get(0);
        String l2Xml = DomainXml.of(l2, "/var/lib/libvirt/images/nvmx-tcg-l2.qcow2", null, OWNER);
        assertValid(l2Xml, "domain");
        assertThat(parse(l2Xml).getElementsByTagName("filesystem").getLength()).isZero();
        Element network = (Element) only(parse(l2Xml), "interface").getElementsByTagName("source").item(0);
        assertThat(network.getAttribute("network")).isEqualTo("default");
    }

    @Test
    void aHostRootTagThatIsNoMountTagIsRefusedNamingTheField() {
        assertThatThrownBy(() -> reader.read("""
                l1:
                  - name: l1
                    boot: {kernel: /boot/vmlinuz, hostRoot: "a b"}
                """, "bad.yaml"))
                .hasMessageContaining("hostRoot: 'a b' is not a 9p mount tag");
    }

    @Test
    void namedCpuModelRequiresVmxOnAnL1() throws Exception {
        Topology topology = reader.read("""
                l1:
                  - name: l1
                    cpu: {model: Skylake-Server}
                  - name: l1b
                    cpu: {mode: host-model}
                """, "cpu.yaml");
        for (GuestSpec l1 : topology.l1()) {
            String xml = DomainXml.of(l1, "/images/" + l1.name() + ".qcow2", null, OWNER);
            assertValid(xml, "domain");
            Element feature = only(parse(xml), "feature");
            assertThat(feature.getAttribute("policy")).isEqualTo("require");
            assertThat(feature.getAttribute("name")).isEqualTo("vmx");
        }
    }

    @Test
    void volumesMatchGoldenAndValidate() throws Exception {
        GuestSpec l1 = seed().l1().get(0);
        String qcow2 = VolumeXml.of(l1);
        assertGolden(qcow2, "volume-seed-l1.xml");
        assertValid(qcow2, "storagevol");
        assertThat(VolumeXml.volumeName(l1)).isEqualTo("nvmx-l1.qcow2");
        assertThat(VolumeXml.createFlags(l1.disk())).isEqualTo(VolumeXml.PREALLOC_METADATA);

        GuestSpec raw = reader.read("""
                l1:
                  - name: raw-l1
                    disk: {format: raw, preallocation: falloc, size: 4096M}
                """, "raw.yaml").l1().get(0);
        String rawXml = VolumeXml.of(raw);
        assertGolden(rawXml, "volume-raw-falloc.xml");
        assertValid(rawXml, "storagevol");
        Document doc = parse(rawXml);
        assertThat(only(doc, "allocation").getTextContent()).isEqualTo(only(doc, "capacity").getTextContent())
                .isEqualTo("4294967296");
        assertThat(doc.getElementsByTagName("compat").getLength()).isZero();
        assertThat(VolumeXml.createFlags(raw.disk())).isZero();
    }

    @Test
    void networkMatchesGoldenAndValidates() throws Exception {
        String xml = LibvirtNetwork.defaultInsideL1().toXml();
        assertGolden(xml, "network-default-in-l1.xml");
        assertValid(xml, "network");
        String isolated = new LibvirtNetwork("nvmx-isolated", "nvmxbr1", false, "10.77.0.1", "255.255.255.0",
                "10.77.0.10", "10.77.0.99").toXml();
        assertValid(isolated, "network");
        assertThat(parse(isolated).getElementsByTagName("forward").getLength()).isZero();
    }

    /** Values that bypassed the reader's checks still come out as text: the writer escapes them. */
    @Test
    void hostileNamesAndPathsAreEscapedAndStillValidate() throws Exception {
        String name = "x</name><evil/>'\"&";
        String path = "/tmp/a'b\"c&d<e>/</source><evil/>";
        GuestSpec hostile = new GuestSpec(Level.L1, name, 1, Size.mib(256),
                new DiskSpec(DiskSpec.Format.QCOW2, DiskSpec.Preallocation.NONE, Size.gib(1), path,
                        DiskSpec.Format.QCOW2, "default", DiskSpec.Cache.NONE, null),
                NetworkAttachment.network("net'&<x>"), CpuSpec.hostPassthrough(), DomainType.KVM, false, null,
                GuestSsh.defaults(), KeyInjection.IMAGE, new KernelBoot(path, path, "root=</cmdline>&"), path,
                Packages.none(), List.of());
        OwnerTag owner = new OwnerTag("run\"'<&>", 1, "host'\"<&>", OWNER.created(), OWNER.expires());

        String domain = DomainXml.of(hostile, path, path, owner);
        // libvirt's volume names exclude '/' (schemaRefusesWhatLibvirtWouldNot), so this one has none.
        String volume = VolumeXml.of("x<evil>'\"&.qcow2", hostile.disk());

        assertThat(domain).doesNotContain("<evil/>").contains("&lt;");
        assertThat(volume).doesNotContain("<evil/>");
        Document doc = parse(domain);
        assertThat(only(doc, "name").getTextContent()).isEqualTo(name);
        assertThat(only(doc, "kernel").getTextContent()).isEqualTo(path);
        assertThat(only(doc, "log").getAttribute("file")).isEqualTo(path);
        assertThat(doc.getElementsByTagName("evil").getLength()).isZero();
        assertThat(OwnerTag.fromDomainXml(domain)).contains(owner);
        assertValid(domain, "domain");
        assertThat(only(parse(volume), "name").getTextContent()).isEqualTo("x<evil>'\"&.qcow2");
        assertThat(parse(volume).getElementsByTagName("path").item(0).getTextContent()).isEqualTo(path);
        assertValid(volume, "storagevol");
    }

    @Test
    void schemaRefusesWhatLibvirtWouldNot() throws Exception {
        // The validator is real: a volume name with '/' is outside libvirt's schema.
        String xml = VolumeXml.of("a/b.qcow2", seed().l1().get(0).disk());
        LibvirtSchema.Verdict verdict = LibvirtSchema.validate(xml, "storagevol", dir);
        assertThat(verdict.valid()).as(verdict.output()).isFalse();
    }

    @Test
    void cloudInitSeedAuthorizesTheKeyAndSetsTheSerialConsole() throws Exception {
        GuestSpec l1 = seed().l1().get(0);
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0 nvmx: test #1 & 'quoted'";

        String metaData = CloudInitSeed.metaData(l1);
        String userData = CloudInitSeed.userData(l1, key);

        assertGolden(userData, "user-data-seed-l1.yaml");
        assertThat(userData).startsWith("#cloud-config\n");
        var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
        Map<String, Object> meta = yaml.readValue(metaData, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(meta).containsEntry("instance-id", "nvmx-l1").containsEntry("local-hostname", "nvmx-l1");
        Map<?, ?> config = yaml.readValue(userData, Map.class);
        assertThat(config.get("ssh_authorized_keys")).isEqualTo(List.of(key));
        assertThat(config.get("disable_root")).isEqualTo(false);
        assertThat(config.get("runcmd").toString()).contains(KernelBoot.SERIAL_CONSOLE);

        GuestSpec user = reader.read("""
                l1:
                  - name: fedora-l1
                    ssh: {user: fedora}
                """, "user.yaml").l1().get(0);
        Map<?, ?> userConfig = yaml.readValue(CloudInitSeed.userData(user, key), Map.class);
        assertThat(userConfig.get("users").toString()).contains("name=fedora", key);
    }

    private void assertValid(String xml, String kind) throws IOException, InterruptedException {
        LibvirtSchema.Verdict verdict = LibvirtSchema.validate(xml, kind, dir);
        assertThat(verdict.valid()).as("virt-xml-validate %s:%n%s%n%s", kind, verdict.output(), xml).isTrue();
    }

    private static void assertGolden(String actual, String name) throws IOException {
        Path source = Path.of("src/test/resources/io/github/nestedvirt/topology", name);
        if (UPDATE) {
            Files.writeString(source, actual, StandardCharsets.UTF_8);
        }
        try (InputStream in = DocumentsTest.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(xml)));
    }

    private static Element only(Document doc, String tag) {
        assertThat(doc.getElementsByTagName(tag).getLength()).as("<%s> elements", tag).isEqualTo(1);
        return (Element) doc.getElementsByTagName(tag).item(0);
    }
}
