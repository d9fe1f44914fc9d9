package dev.gatekey.identity.persistence;

import dev.gatekey.identity.domain.IamUser;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code users}: an IAM user. */
@Entity
@Table(name = "users")
public class UserEntity {
    @Id
    @Column(name = "user_id", nullable = false, updatable = false)
    public String userId;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "user_name", nullable = false)
    public String userName;

    @Column(name = "path", nullable = false)
    public String path;

    @Column(name = "arn", nullable = false)
    public String arn;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    public IamUser toDomain() {
        return new IamUser(accountId, userId, userName, path, arn, createdAt);
    }
}
