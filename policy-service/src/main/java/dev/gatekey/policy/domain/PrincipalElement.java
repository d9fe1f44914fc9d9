package dev.gatekey.policy.domain;

import java.util.List;
import java.util.Map;

/**
 * A Principal or NotPrincipal element ({@code "*"} is kept as {@code {"*": ["*"]}}). Parsed for
 * resource-based policies; identity-based policies must not contain one.
 */
public record PrincipalElement(Map<String, List<String>> principals, boolean negated) {
    public PrincipalElement {
        principals = Map.copyOf(principals);
    }
}
