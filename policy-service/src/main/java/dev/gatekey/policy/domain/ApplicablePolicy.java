package dev.gatekey.policy.domain;

/**
 * A policy that applies to a request, named by its source: a managed policy's ARN, an inline
 * policy's name, or the simulator's {@code PolicyInputList.<n>}.
 */
public record ApplicablePolicy(String sourcePolicyId, PolicyType type, PolicyDocument document) {
    /** A customer managed policy. */
    public ApplicablePolicy(String sourcePolicyId, PolicyDocument document) {
        this(sourcePolicyId, PolicyType.USER_MANAGED, document);
    }
}
