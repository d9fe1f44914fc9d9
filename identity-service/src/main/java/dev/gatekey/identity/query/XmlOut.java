package dev.gatekey.identity.query;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes AWS Query XML with the JDK's StAX writer (escaping done by StAX). Elements are
 * unprefixed, so they belong to the default namespace declared on the response element.
 */
public final class XmlOut {
    private final XMLStreamWriter writer;

    XmlOut(XMLStreamWriter writer) {
        this.writer = writer;
    }

    /** A list element to fill: {@code consume} is called per item inside its {@code <member>}. */
    @FunctionalInterface
    public interface MemberWriter<T> {
        void write(XmlOut xml, T item) throws XMLStreamException;
    }

    /** A nested element whose content {@code content} writes. */
    @FunctionalInterface
    public interface Content {
        void write(XmlOut xml) throws XMLStreamException;
    }

    public XmlOut element(String name, String value) throws XMLStreamException {
        writer.writeStartElement(name);
        writer.writeCharacters(value == null ? "" : value);
        writer.writeEndElement();
        return this;
    }

    /** Text inside the current element: a {@code <member>} of a list of strings. */
    public XmlOut text(String value) throws XMLStreamException {
        writer.writeCharacters(value == null ? "" : value);
        return this;
    }

    public XmlOut element(String name, boolean value) throws XMLStreamException {
        return element(name, Boolean.toString(value));
    }

    public XmlOut element(String name, long value) throws XMLStreamException {
        return element(name, Long.toString(value));
    }

    /** An ISO-8601 timestamp in UTC to the second, as AWS writes {@code dateTime}s. */
    public XmlOut element(String name, Instant value) throws XMLStreamException {
        return element(name, timestamp(value));
    }

    public XmlOut optional(String name, Optional<?> value) throws XMLStreamException {
        if (value.isPresent()) {
            Object v = value.get();
            if (v instanceof Instant i) {
                element(name, i);
            } else {
                element(name, v.toString());
            }
        }
        return this;
    }

    public XmlOut nested(String name, Content content) throws XMLStreamException {
        writer.writeStartElement(name);
        content.write(this);
        writer.writeEndElement();
        return this;
    }

    /** {@code <name><member>...</member>...</name>}, AWS's Query list shape. */
    public <T> XmlOut members(String name, Collection<T> items, MemberWriter<T> member) throws XMLStreamException {
        writer.writeStartElement(name);
        for (T item : items) {
            writer.writeStartElement("member");
            member.write(this, item);
            writer.writeEndElement();
        }
        writer.writeEndElement();
        return this;
    }

    /** {@code IsTruncated} and, when truncated, {@code Marker}. */
    public XmlOut paging(Page<?> page) throws XMLStreamException {
        element("IsTruncated", page.truncated());
        return optional("Marker", page.marker());
    }

    /**
     * {@code IsTruncated} and, when {@code marker} is not empty, {@code Marker}: a page another
     * service cut (with its own marker).
     */
    public XmlOut paging(boolean truncated, String marker) throws XMLStreamException {
        element("IsTruncated", truncated);
        return marker == null || marker.isEmpty() ? this : element("Marker", marker);
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
