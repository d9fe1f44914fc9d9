package dev.gatekey.mfa.securitykey.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code security_key_challenges}: a pending WebAuthn ceremony. */
@Entity
@Table(name = "security_key_challenges")
public class SecurityKeyChallengeEntity extends PanacheEntityBase {
    public static final String REGISTRATION = "REGISTRATION";
    public static final String AUTHENTICATION = "AUTHENTICATION";

    @Id
    @Column(name = "challenge_id")
    public String challengeId;

    @Column(name = "ceremony", nullable = false)
    public String ceremony;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "user_name", nullable = false)
    public String userName;

    @Column(name = "challenge", nullable = false)
    public byte[] challenge;

    @Column(name = "device_name")
    public String deviceName;

    @Column(name = "user_handle")
    public byte[] userHandle;

    @Column(name = "attestation")
    public String attestation;

    @Column(name = "user_verification", nullable = false)
    public String userVerification;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Override
    public String toString() {
        return "SecurityKeyChallengeEntity[" + ceremony + "]";
    }
}
