package dev.gatekey.policy.domain;

import java.util.List;

/**
 * An immutable parsed policy. {@code text} is the document exactly as written; it is what
 * GetPolicyVersion returns.
 *
 * @param id the Id element, empty when absent
 */
public record PolicyDocument(PolicyLanguageVersion version, String id, List<Statement> statements, String text) {
    public PolicyDocument {
        statements = List.copyOf(statements);
    }
}
