package dev.gatekey.policy.domain;

import java.util.List;
import java.util.Optional;

/**
 * One statement of a policy.
 *
 * @param index zero-based position in the policy's Statement list
 * @param sid the Sid, empty when absent
 * @param resources null only in a resource-based policy without Resource/NotResource
 * @param principal null when absent
 * @param start where the statement's object begins in the document (1-based line and column)
 * @param end just after the statement's closing brace
 */
public record Statement(
        int index,
        String sid,
        Effect effect,
        ValueList actions,
        ValueList resources,
        PrincipalElement principal,
        List<Condition> conditions,
        SourcePosition start,
        SourcePosition end) {
    public Statement {
        conditions = List.copyOf(conditions);
    }

    public Optional<PrincipalElement> principalElement() {
        return Optional.ofNullable(principal);
    }
}
