package dev.gatekey.identity.persistence;

import dev.gatekey.identity.domain.AccessKey;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A row of {@code access_keys}: a long-term access key with its encrypted secret. */
@Entity
@Table(name = "access_keys")
public class AccessKeyEntity {
    @Id
    @Column(name = "access_key_id", nullable = false, updatable = false)
    public String accessKeyId;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    /** Null for the root user's keys. */
    @Column(name = "user_id", updatable = false)
    public String userId;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "secret_key_id", nullable = false)
    public String secretKeyId;

    @Column(name = "secret_ciphertext", nullable = false)
    public byte[] secretCiphertext;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "last_used_service")
    public String lastUsedService;

    @Column(name = "last_used_region")
    public String lastUsedRegion;

    public AccessKey toDomain(String userName) {
        return new AccessKey(userName, accessKeyId, status, createdAt, Optional.ofNullable(lastUsedAt),
                Optional.ofNullable(lastUsedService), Optional.ofNullable(lastUsedRegion));
    }
}
