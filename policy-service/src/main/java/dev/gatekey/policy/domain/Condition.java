package dev.gatekey.policy.domain;

import java.util.List;
import java.util.Locale;

/** One condition: an operator applied to one key with its values (OR across the values). */
public record Condition(ConditionOperator operator, String key, List<String> values) {
    public Condition {
        values = List.copyOf(values);
    }

    /** Condition key names are case-insensitive. */
    public String normalizedKey() {
        return key.toLowerCase(Locale.ROOT);
    }
}
