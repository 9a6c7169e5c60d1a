package io.github.nestedvirt.lifecycle;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Who owns a libvirt domain: the tag every domain we define carries in its metadata, so that a
 * reaper can tell our domains from everybody else's and find those whose owner is gone.
 *
 * <pre>{@code
 * <metadata>
 *   <nvmx:owner xmlns:nvmx="urn:nested-virt:owner:1" run="RUN_ID" pid="1234" host="HOSTNAME"
 *               created="2026-11-25T14:00:00Z" expires="2026-11-26T14:00:00Z"/>
 * </metadata>
 * }</pre>
 *
 * @param run the run id that created the domain
 * @param pid the process id of the engine that created it, on {@code host}
 * @param host the host name of the machine the engine ran on
 * @param created when the domain was defined
 * @param expires after this instant any reaper may remove the domain
 */
public record OwnerTag(String run, long pid, String host, Instant created, Instant expires) {

    /** The namespace of the tag; the {@code :1} is its format version. */
    public static final String NAMESPACE = "urn:nested-virt:owner:1";

    /** The element's local name. */
    public static final String ELEMENT = "owner";

    /** The tag for a domain this process defines now for {@code run}, to be reaped after {@code lifetime}. */
    public static OwnerTag forThisProcess(String run, Duration lifetime) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new OwnerTag(run, ProcessHandle.current().pid(), LocalHostName.get(), now, now.plus(lifetime));
    }

    /**
     * The owner tag in a domain's XML (as {@code virDomainGetXMLDesc} returns it), or empty when
     * the domain has none, or a tag too damaged to trust: such a domain is not ours to remove.
     */
    public static Optional<OwnerTag> fromDomainXml(String xml) {
        Element owner;
        try {
            NodeList tags = newBuilder().parse(new InputSource(new StringReader(xml)))
                    .getElementsByTagNameNS(NAMESPACE, ELEMENT);
            if (tags.getLength() != 1) {
                return Optional.empty();
            }
            owner = (Element) tags.item(0);
        } catch (SAXException | IOException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OwnerTag(
                    required(owner, "run"),
                    Long.parseLong(required(owner, "pid")),
                    required(owner, "host"),
                    Instant.parse(required(owner, "created")),
                    Instant.parse(required(owner, "expires"))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String required(Element owner, String attribute) {
        String value = owner.getAttribute(attribute);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("owner tag without " + attribute);
        }
        return value;
    }

    /** A namespace-aware parser that reads no DTD and no external entity (domain XML needs neither). */
    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder builder = factory.newDocumentBuilder();
            // The default handler prints "[Fatal Error]" to stderr; this one only throws.
            builder.setErrorHandler(new DefaultHandler());
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be made safe: " + e.getMessage(), e);
        }
    }
}
