package dev.gatekey.policy.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value with the line and column where it starts, so that validation errors can point
 * at the problem. Objects are {@code Map<String, LocatedJson>} (duplicate names are an error),
 * arrays {@code List<LocatedJson>}, scalars String, Boolean, or the number's text in a
 * {@link NumberText}; JSON null is {@code null}. An object also keeps where each member's name
 * starts, so that an error about a name (an unknown element or operator) points at the name.
 */
record LocatedJson(Object value, int line, int column, int endLine, int endColumn,
        Map<String, SourcePosition> namePositions) {
    /** The deepest nesting of arrays and objects accepted (AWS policies need a handful). */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A JSON number, kept as written. */
    record NumberText(String text) {
    }

    static LocatedJson parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new MalformedPolicyDocument("Syntax errors in policy: the document is empty.");
            }
            LocatedJson root = read(parser, 0);
            if (parser.nextToken() != null) {
                JsonLocation loc = parser.currentTokenLocation();
                throw new MalformedPolicyDocument("Syntax errors in policy: unexpected content after the document",
                        loc.getLineNr(), loc.getColumnNr());
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String message = "Syntax errors in policy: " + e.getOriginalMessage();
            throw loc == null ? new MalformedPolicyDocument(message)
                    : new MalformedPolicyDocument(message, loc.getLineNr(), loc.getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LocatedJson read(JsonParser p, int depth) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        JsonToken t = p.currentToken();
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
            throw new MalformedPolicyDocument("Syntax errors in policy: nesting deeper than " + MAX_DEPTH
                    + " levels", line, col);
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, LocatedJson> fields = new LinkedHashMap<>();
                Map<String, SourcePosition> names = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonLocation nameLoc = p.currentTokenLocation();
                    p.nextToken();
                    if (fields.containsKey(name)) {
                        throw new MalformedPolicyDocument("Duplicate element '" + name + "'", nameLoc.getLineNr(),
                                nameLoc.getColumnNr());
                    }
                    names.put(name, new SourcePosition(nameLoc.getLineNr(), nameLoc.getColumnNr()));
                    fields.put(name, read(p, depth + 1));
                }
                JsonLocation end = p.currentTokenLocation();
                return new LocatedJson(fields, line, col, end.getLineNr(), end.getColumnNr() + 1, names);
            }
            case START_ARRAY -> {
                List<LocatedJson> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, depth + 1));
                }
                JsonLocation end = p.currentTokenLocation();
                return new LocatedJson(items, line, col, end.getLineNr(), end.getColumnNr() + 1, null);
            }
            case VALUE_STRING -> {
                return new LocatedJson(p.getText(), line, col, line, col, null);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new LocatedJson(new NumberText(p.getText()), line, col, line, col, null);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new LocatedJson(p.getBooleanValue(), line, col, line, col, null);
            }
            case VALUE_NULL -> {
                return new LocatedJson(null, line, col, line, col, null);
            }
            default -> throw new MalformedPolicyDocument("Syntax errors in policy: unexpected " + t, line, col);
        }
    }

    MalformedPolicyDocument error(String problem) {
        return new MalformedPolicyDocument(problem, line, column);
    }

    /** An error about the name of one of this object's members, at the name. */
    MalformedPolicyDocument nameError(String name, String problem) {
        SourcePosition at = namePositions == null ? null : namePositions.get(name);
        return at == null ? error(problem) : new MalformedPolicyDocument(problem, at.line(), at.column());
    }

    String describeType() {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof NumberText) {
            return "a number";
        }
        return "null";
    }
}
