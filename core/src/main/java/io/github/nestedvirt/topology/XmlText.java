package io.github.nestedvirt.topology;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An indented XML document written through {@link XMLStreamWriter}, which escapes every name,
 * path and value, so nothing from a spec can add elements or attributes. Indentation keeps the
 * golden files readable.
 */
final class XmlText {

    private final StringWriter text = new StringWriter();
    private final XMLStreamWriter writer;
    private int depth;
    /** Whether the element being written has child elements, so its end tag goes on its own line. */
    private boolean nested;

    XmlText() {
        try {
            writer = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("no XML writer", e);
        }
    }

    /** Opens an element; add attributes with {@link #attribute}, then children or {@link #value}. */
    XmlText open(String name) {
        try {
            indent();
            writer.writeStartElement(name);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        depth++;
        nested = false;
        return this;
    }

    /** An element without content; add attributes with {@link #attribute}. */
    XmlText empty(String name) {
        try {
            indent();
            writer.writeEmptyElement(name);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** An element holding only text: {@code <name>value</name>}. */
    XmlText element(String name, Object value) {
        return open(name).value(value).close();
    }

    XmlText attribute(String name, Object value) {
        try {
            writer.writeAttribute(name, String.valueOf(value));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    XmlText value(Object value) {
        try {
            writer.writeCharacters(String.valueOf(value));
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Writes an element through the raw writer, e.g. one in another namespace. */
    XmlText raw(StreamWriting writing) {
        try {
            indent();
            writing.writeTo(writer);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    XmlText close() {
        depth--;
        try {
            if (nested) {
                writer.writeCharacters("\n" + "  ".repeat(depth));
            }
            writer.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        nested = true;
        return this;
    }

    /** The document, ending with a newline. */
    String finish() {
        try {
            writer.writeEndDocument();
            writer.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text + "\n";
    }

    private void indent() throws XMLStreamException {
        if (depth > 0) {
            writer.writeCharacters("\n" + "  ".repeat(depth));
        }
        nested = true;
    }

    /** Something written straight to an {@link XMLStreamWriter}. */
    @FunctionalInterface
    interface StreamWriting {
        void writeTo(XMLStreamWriter writer) throws XMLStreamException;
    }
}
