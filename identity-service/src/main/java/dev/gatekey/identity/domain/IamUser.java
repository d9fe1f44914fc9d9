package dev.gatekey.identity.domain;

import java.time.Instant;

/** An IAM user as AWS's {@code User} describes it. */
public record IamUser(String accountId, String userId, String userName, String path, String arn,
        Instant createDate) {
}
