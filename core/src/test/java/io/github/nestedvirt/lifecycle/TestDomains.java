package io.github.nestedvirt.lifecycle;

import io.github.nestedvirt.topology.OwnerTag;
import java.io.StringWriter;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Domain XML for the tests, written with a real XML writer, with or without an owner tag. */
public final class TestDomains {

    private TestDomains() {
    }

    /** A name no other test of this JVM uses: the test driver's state is shared per process. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A minimal domain of {@code type} ({@code test} for the test driver, {@code qemu} for a real libvirtd). */
    public static String xml(String type, String name, OwnerTag owner) {
        try {
            StringWriter text = new StringWriter();
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartElement("domain");
            xml.writeAttribute("type", type);
            element(xml, "name", name);
            xml.writeStartElement("memory");
            xml.writeAttribute("unit", "MiB");
            xml.writeCharacters("64");
            xml.writeEndElement();
            element(xml, "vcpu", "1");
            xml.writeStartElement("os");
            xml.writeStartElement("type");
            xml.writeAttribute("arch", "x86_64");
            xml.writeCharacters("hvm");
            xml.writeEndElement();
            xml.writeEndElement();
            if (owner != null) {
                xml.writeStartElement("metadata");
                owner.writeTo(xml);
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.close();
            return text.toString();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }
}
