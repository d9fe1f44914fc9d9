package dev.gatekey.policy.persistence;

import java.time.Instant;

/**
 * A stored customer managed policy with its attachment count (users and groups) and how many
 * users use it as their permissions boundary.
 */
public record ManagedPolicyRecord(String policyId, String accountId, String policyName, String path, String arn,
        String description, String defaultVersionId, int attachmentCount, int permissionsBoundaryUsageCount,
        Instant createdAt, Instant updatedAt) {
    public ManagedPolicyRecord(String policyId, String accountId, String policyName, String path, String arn,
            String description, String defaultVersionId, int attachmentCount, Instant createdAt, Instant updatedAt) {
        this(policyId, accountId, policyName, path, arn, description, defaultVersionId, attachmentCount, 0,
                createdAt, updatedAt);
    }
}
