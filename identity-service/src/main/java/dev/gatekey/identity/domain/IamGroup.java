package dev.gatekey.identity.domain;

import java.time.Instant;

/** An IAM group as AWS's {@code Group} describes it. */
public record IamGroup(String groupId, String groupName, String path, String arn, Instant createDate) {
}
