package dev.gatekey.policy.persistence;

/** A managed policy attached to a principal, with the version that is evaluated and its path. */
public record AttachedPolicyRecord(String policyId, String policyName, String arn, String defaultVersionId,
        String path) {
}
