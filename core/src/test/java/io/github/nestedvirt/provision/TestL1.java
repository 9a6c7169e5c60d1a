package io.github.nestedvirt.provision;

import java.io.StringWriter;
import java.nio.file.Path;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The domain XML of the test L1: TCG ({@code type='qemu'}, because KVM does not work on the test
 * machines), direct kernel boot of {@link TestGuestImage}, one virtio NIC on libvirt's
 * {@code default} network (so the address is in libvirt's DHCP leases) and the serial console in
 * a file. The topology package generates the real L1 documents; this is only what the end-to-end
 * test needs.
 */
final class TestL1 {

    static final int MEMORY_MIB = 384;

    private TestL1() {
    }

    static String domainXml(String name, Path kernel, Path initrd, String cmdline, Path serialLog)
            throws XMLStreamException {
        StringWriter text = new StringWriter();
        XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
        xml.writeStartElement("domain");
        xml.writeAttribute("type", "qemu");
        element(xml, "name", name);
        xml.writeStartElement("memory");
        xml.writeAttribute("unit", "MiB");
        xml.writeCharacters(Integer.toString(MEMORY_MIB));
        xml.writeEndElement();
        element(xml, "vcpu", "1");

        xml.writeStartElement("os");
        xml.writeStartElement("type");
        xml.writeAttribute("arch", "x86_64");
        xml.writeCharacters("hvm");
        xml.writeEndElement();
        element(xml, "kernel", kernel.toString());
        element(xml, "initrd", initrd.toString());
        element(xml, "cmdline", cmdline);
        xml.writeEndElement();

        xml.writeStartElement("features");
        xml.writeEmptyElement("acpi");
        xml.writeEmptyElement("apic");
        xml.writeEndElement();
        // A guest that powers off or reboots is over: the test must not see it come back.
        element(xml, "on_poweroff", "destroy");
        element(xml, "on_reboot", "destroy");
        element(xml, "on_crash", "destroy");

        xml.writeStartElement("devices");
        xml.writeStartElement("interface");
        xml.writeAttribute("type", "network");
        xml.writeEmptyElement("source");
        xml.writeAttribute("network", "default");
        xml.writeEmptyElement("model");
        xml.writeAttribute("type", "virtio");
        xml.writeEndElement();
        xml.writeStartElement("serial");
        xml.writeAttribute("type", "file");
        xml.writeEmptyElement("source");
        xml.writeAttribute("path", serialLog.toString());
        xml.writeEmptyElement("target");
        xml.writeAttribute("port", "0");
        xml.writeEndElement();
        xml.writeEmptyElement("memballoon");
        xml.writeAttribute("model", "none");
        xml.writeEndElement();

        xml.writeEndElement();
        xml.writeEndDocument();
        xml.close();
        return text.toString();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }
}
