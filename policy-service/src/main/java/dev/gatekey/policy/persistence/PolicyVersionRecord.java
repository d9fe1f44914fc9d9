package dev.gatekey.policy.persistence;

import java.time.Instant;

/** A stored policy version; {@code document} is the text as written. */
public record PolicyVersionRecord(String policyId, String versionId, String document, boolean isDefault,
        Instant createdAt) {
}
