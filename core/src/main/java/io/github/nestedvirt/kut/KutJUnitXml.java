package io.github.nestedvirt.kut;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a kvm-unit-tests result as JUnit XML, the format Jenkins' {@code junit} step reads: one
 * {@code <testsuite>} with one {@code <testcase>} per test; failures and timeouts as {@code <failure>},
 * skips as {@code <skipped>} with their reason. Written with the JDK's XML stream writer, so every name
 * and reason is escaped; characters XML 1.0 cannot hold at all (control characters) become U+FFFD.
 */
public final class KutJUnitXml {

    /** Everything outside the XML 1.0 {@code Char} production. */
    private static final Pattern NOT_XML = Pattern.compile(
            "[^\\x{9}\\x{A}\\x{D}\\x{20}-\\x{D7FF}\\x{E000}-\\x{FFFD}\\x{10000}-\\x{10FFFF}]");

    private KutJUnitXml() {
    }

    /**
     * Writes {@code result} to {@code out} in UTF-8.
     *
     * @param suite the test suite's name, e.g. {@code kvm-unit-tests} or {@code kvm-unit-tests.L1}
     */
    public static void write(KutResult result, String suite, OutputStream out) throws IOException {
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory()
                    .createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", clean(suite));
            xml.writeAttribute("tests", Integer.toString(result.entries().size()));
            xml.writeAttribute("failures", Long.toString(result.count(KutStatus.FAIL) + result.count(KutStatus.TIMEOUT)
                    + result.count(KutStatus.XPASS)));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", Long.toString(result.count(KutStatus.SKIP)));
            xml.writeCharacters("\n");
            for (KutTest test : result.entries()) {
                writeTest(xml, suite, test);
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static void writeTest(XMLStreamWriter xml, String suite, KutTest test) throws XMLStreamException {
        xml.writeCharacters("  ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", clean(suite));
        xml.writeAttribute("name", clean(test.name()));
        String detail = test.counts() != null ? test.counts().toString() : test.reason();
        switch (test.status()) {
            case FAIL, TIMEOUT, XPASS -> {
                xml.writeStartElement("failure");
                xml.writeAttribute("type", test.status().name());
                xml.writeAttribute("message", clean(detail.isEmpty() ? test.status().name() : detail));
                xml.writeCharacters(clean(test.status() + " " + test.name() + (detail.isEmpty() ? "" : " (" + detail + ")")));
                xml.writeEndElement();
            }
            case SKIP -> {
                xml.writeEmptyElement("skipped");
                xml.writeAttribute("message", clean(detail));
            }
            case PASS, XFAIL -> {
                if (!detail.isEmpty() || test.status() == KutStatus.XFAIL) {
                    xml.writeStartElement("system-out");
                    xml.writeCharacters(clean(test.status() + (detail.isEmpty() ? "" : " (" + detail + ")")));
                    xml.writeEndElement();
                }
            }
            default -> throw new IllegalStateException("unknown status " + test.status());
        }
        xml.writeEndElement();
        xml.writeCharacters("\n");
    }

    private static String clean(String text) {
        return NOT_XML.matcher(text).replaceAll("\uFFFD");
    }
}
