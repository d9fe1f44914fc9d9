package dev.gatekey.identity.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * An access key as AWS's {@code AccessKeyMetadata} describes it, with its last use
 * ({@code AccessKeyLastUsed}). {@code userName} is empty for the root user's keys.
 */
public record AccessKey(String userName, String accessKeyId, String status, Instant createDate,
        Optional<Instant> lastUsedDate, Optional<String> lastUsedService, Optional<String> lastUsedRegion) {
    public static final String ACTIVE = "Active";
    public static final String INACTIVE = "Inactive";
}
