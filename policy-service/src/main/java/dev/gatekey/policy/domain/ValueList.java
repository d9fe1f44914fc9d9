package dev.gatekey.policy.domain;

import java.util.List;

/**
 * The value of an Action/NotAction or Resource/NotResource element: the patterns as written and
 * whether the element is the negated form.
 */
public record ValueList(List<String> values, boolean negated) {
    public ValueList {
        values = List.copyOf(values);
    }
}
