package dev.gatekey.identity.persistence;

import dev.gatekey.identity.domain.IamGroup;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code groups}: an IAM group. */
@Entity
@Table(name = "groups")
public class GroupEntity {
    @Id
    @Column(name = "group_id", nullable = false, updatable = false)
    public String groupId;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "group_name", nullable = false)
    public String groupName;

    @Column(name = "path", nullable = false)
    public String path;

    @Column(name = "arn", nullable = false)
    public String arn;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    public IamGroup toDomain() {
        return new IamGroup(groupId, groupName, path, arn, createdAt);
    }
}
