package io.github.nestedvirt.topology;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * Who owns a libvirt resource: the run that created it, the engine process and host it ran on,
 * and when the resource may be reaped. Written into the domain's {@code <metadata>} as
 * {@code <nvmx:owner xmlns:nvmx="urn:nested-virt:owner:1" run=".." pid=".." host=".."
 * created=".." expires=".."/>}, so teardown and the reaper find what a run left, even after the
 * engine was killed.
 *
 * @param run the run id
 * @param pid the engine's process id
 * @param host the host name the engine runs on
 * @param created when the resource was created
 * @param expires after when a reaper may remove it whatever the owner's state
 */
public record OwnerTag(String run, long pid, String host, Instant created, Instant expires) {

    public static final String OWNER_NAMESPACE = "urn:nested-virt:owner:1";
    /** The namespace prefix used when writing. */
    public static final String PREFIX = "nvmx";
    /** The element's local name. */
    public static final String ELEMENT = "owner";

    public OwnerTag {
        if (run == null || run.isBlank() || host == null || created == null || expires == null) {
            throw new IllegalArgumentException("an owner tag needs run, host, created and expires");
        }
    }

    /** The tag for a resource this process creates now for {@code run}, to be reaped after {@code lifetime}. */
    public static OwnerTag forThisProcess(String run, Duration lifetime) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new OwnerTag(run, ProcessHandle.current().pid(), LocalHostName.get(), now, now.plus(lifetime));
    }

    /** Writes the {@code <nvmx:owner .../>} element, declaring its namespace on it. */
    public void writeTo(XMLStreamWriter writer) throws XMLStreamException {
        writer.writeEmptyElement(PREFIX, ELEMENT, OWNER_NAMESPACE);
        writer.writeNamespace(PREFIX, OWNER_NAMESPACE);
        writer.writeAttribute("run", run);
        writer.writeAttribute("pid", Long.toString(pid));
        writer.writeAttribute("host", host);
        writer.writeAttribute("created", created.toString());
        writer.writeAttribute("expires", expires.toString());
    }

    /** The element alone, e.g. for {@code virsh metadata} or libvirt's metadata API. */
    public String toXml() {
        XmlText xml = new XmlText();
        xml.raw(this::writeTo);
        return xml.finish().strip();
    }

    /**
     * The owner tag of a domain (or any document holding one), or empty when the document has none
     * or a malformed one: such a resource is not ours, and is left alone.
     */
    public static Optional<OwnerTag> fromDomainXml(String xml) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // The XML comes from libvirt, but no document gets to pull in entities or DTDs.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
            try {
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamConstants.START_ELEMENT && ELEMENT.equals(reader.getLocalName())
                            && OWNER_NAMESPACE.equals(reader.getNamespaceURI())) {
                        return Optional.of(new OwnerTag(attribute(reader, "run"),
                                Long.parseLong(attribute(reader, "pid")), attribute(reader, "host"),
                                Instant.parse(attribute(reader, "created")),
                                Instant.parse(attribute(reader, "expires"))));
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String attribute(XMLStreamReader reader, String name) {
        String value = reader.getAttributeValue(XMLConstants.NULL_NS_URI, name);
        if (value == null) {
            throw new IllegalArgumentException("owner tag without " + name);
        }
        return value;
    }
}
