package io.github.nestedvirt.migration;

import io.github.nestedvirt.facts.HostFacts;
import io.github.nestedvirt.facts.KvmStatus;
import io.github.nestedvirt.provision.LibvirtFailedException;
import io.github.nestedvirt.provision.LibvirtSession;
import io.github.nestedvirt.result.Level;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.libvirt.NodeInfo;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * What {@link MigrationSupport} needs to know of an L0 that is known only by its libvirt URI,
 * learnt through libvirt itself: the QEMU version ({@code virConnectGetVersion}, when the
 * driver is QEMU's), the libvirt version, the host CPU's vendor, model and features from the
 * capabilities, CPUs and memory. libvirt does not tell the kernel: it is this machine's
 * ({@code uname -r}) when the URI names no other host, and unknown (null) otherwise.
 */
public final class L0Facts {

    private L0Facts() {
    }

    /** Why migrating along {@code route} cannot work, from what both L0s' libvirt says; empty when it can be tried. */
    public static List<String> reasonsAgainst(MigrationRoute route) throws LibvirtFailedException {
        try (LibvirtSession source = LibvirtSession.open(route.sourceUri());
                LibvirtSession destination = LibvirtSession.open(route.destinationUri())) {
            return MigrationSupport.reasonsAgainst(of(source), of(destination));
        }
    }

    /** The facts of the L0 behind {@code session}; the host is named by its URI. */
    public static HostFacts of(LibvirtSession session) throws LibvirtFailedException {
        String operation = "read the host's versions and capabilities";
        String type = session.call(operation, c -> c.getType());
        String qemu = "QEMU".equals(type) ? version(session.call(operation, c -> c.getVersion())) : null;
        String libvirt = version(session.call(operation, c -> c.getLibVersion()));
        String hostname = session.call(operation, c -> c.getHostName());
        NodeInfo node = session.call(operation, c -> c.nodeInfo());
        String capabilities = session.call(operation, c -> c.getCapabilities());
        String cpu = "/capabilities/host/cpu/";
        List<String> vendor = values(capabilities, cpu + "vendor");
        List<String> model = values(capabilities, cpu + "model");
        return new HostFacts(Level.L0, session.uri(), hostname, vendor.isEmpty() ? null : vendor.get(0),
                model.isEmpty() ? null : model.get(0), values(capabilities, cpu + "feature/@name"), node.cpus,
                node.memory * 1024, isThisMachine(session.uri()) ? System.getProperty("os.version") : null, qemu,
                libvirt, null, Map.of(), new KvmStatus(KvmStatus.State.UNKNOWN, "not probed: known through libvirt only"));
    }

    /** libvirt's version numbers: {@code major * 1,000,000 + minor * 1,000 + release}. */
    static String version(long number) {
        return number / 1_000_000 + "." + number / 1_000 % 1_000 + "." + number % 1_000;
    }

    /** Whether a libvirt URI talks to a daemon on this machine ({@code qemu:///system}, {@code test:///default}). */
    static boolean isThisMachine(String uri) {
        try {
            String host = new URI(uri).getHost();
            return host == null || host.equals("localhost") || host.equals("127.0.0.1");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The text of what {@code path} selects in libvirt's capabilities XML. */
    static List<String> values(String xml, String path) {
        NodeList nodes;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // The XML comes from libvirt, but no document gets to pull in entities or DTDs.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            XPath xpath = XPathFactory.newInstance().newXPath();
            nodes = (NodeList) xpath.evaluate(path, document, XPathConstants.NODESET);
        } catch (ParserConfigurationException | SAXException | IOException | XPathExpressionException e) {
            throw new IllegalStateException("libvirt returned capabilities that do not parse: " + e.getMessage(), e);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent().strip());
        }
        return values;
    }
}
