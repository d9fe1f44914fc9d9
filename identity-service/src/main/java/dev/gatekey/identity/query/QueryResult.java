package dev.gatekey.identity.query;

import javax.xml.stream.XMLStreamException;

/** The content of an action's {@code <ActionResult>} element. */
@FunctionalInterface
public interface QueryResult {
    /** An action without a result element (for example DeleteUser). */
    QueryResult NONE = null;

    void write(XmlOut xml) throws XMLStreamException;
}
