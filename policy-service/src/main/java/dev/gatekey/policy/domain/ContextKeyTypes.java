package dev.gatekey.policy.domain;

import dev.gatekey.platform.error.GatekeyException;
import java.util.List;

/**
 * The simulator's typed context entries (AWS ContextEntry.ContextKeyType): {@code string},
 * {@code numeric}, {@code boolean}, {@code date}, {@code ip}, {@code binary} take exactly one
 * value, their {@code ...List} forms any number; each value must be of the type.
 */
public final class ContextKeyTypes {
    private ContextKeyTypes() {
    }

    /**
     * Validates {@code values} against {@code type} ({@code null} or empty: {@code string} for
     * one value, {@code stringList} otherwise).
     */
    public static void validate(String key, String type, List<String> values) {
        String t = type == null || type.isEmpty() ? (values.size() == 1 ? "string" : "stringList") : type;
        boolean list = t.endsWith("List");
        String base = list ? t.substring(0, t.length() - "List".length()) : t;
        ConditionOperator.Kind kind = switch (base) {
            case "string" -> ConditionOperator.Kind.STRING;
            case "numeric" -> ConditionOperator.Kind.NUMERIC;
            case "boolean" -> ConditionOperator.Kind.BOOL;
            case "date" -> ConditionOperator.Kind.DATE;
            case "ip" -> ConditionOperator.Kind.IP;
            case "binary" -> ConditionOperator.Kind.BINARY;
            default -> throw GatekeyException.invalidInput("Context key type " + type + " of " + key
                    + " is not valid.");
        };
        if (!list && values.size() != 1) {
            throw GatekeyException.invalidInput("Context key " + key + " of type " + t + " takes exactly one value.");
        }
        for (String v : values) {
            if (v == null || !ConditionValues.valid(kind, v)) {
                throw GatekeyException.invalidInput("Value '" + v + "' of context key " + key + " is not a valid "
                        + base + ".");
            }
        }
    }
}
