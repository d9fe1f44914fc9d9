package dev.gatekey.policy.domain;

/**
 * A statement that decided the request: its policy, Sid ("" when none), index and effect, the
 * kind of policy it came from and where it stands in the document.
 */
public record MatchedStatement(String sourcePolicyId, String sid, int statementIndex, Effect effect,
        PolicyType sourcePolicyType, SourcePosition start, SourcePosition end) {
}
