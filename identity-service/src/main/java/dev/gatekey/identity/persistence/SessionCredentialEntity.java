package dev.gatekey.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code session_credentials}: temporary credentials from GetSessionToken. */
@Entity
@Table(name = "session_credentials")
public class SessionCredentialEntity {
    @Id
    @Column(name = "access_key_id", nullable = false, updatable = false)
    public String accessKeyId;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    /** Null for the root user's sessions. */
    @Column(name = "user_id", updatable = false)
    public String userId;

    @Column(name = "source_access_key_id", nullable = false, updatable = false)
    public String sourceAccessKeyId;

    @Column(name = "secret_key_id", nullable = false)
    public String secretKeyId;

    @Column(name = "secret_ciphertext", nullable = false)
    public byte[] secretCiphertext;

    @Column(name = "session_token_sha256", nullable = false)
    public byte[] sessionTokenSha256;

    @Column(name = "multi_factor_auth", nullable = false)
    public boolean multiFactorAuth;

    @Column(name = "mfa_authenticated_at")
    public Instant mfaAuthenticatedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
