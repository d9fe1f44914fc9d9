package dev.gatekey.policy.domain;

/** A statement that decided the request: its policy, Sid ("" when none), index and effect. */
public record MatchedStatement(String sourcePolicyId, String sid, int statementIndex, Effect effect) {
}
