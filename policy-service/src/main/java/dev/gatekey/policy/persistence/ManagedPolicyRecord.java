package dev.gatekey.policy.persistence;

import java.time.Instant;

/** A stored customer managed policy with its attachment count. */
public record ManagedPolicyRecord(String policyId, String accountId, String policyName, String path, String arn,
        String description, String defaultVersionId, int attachmentCount, Instant createdAt, Instant updatedAt) {
}
