package dev.gatekey.mfa.securitykey.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code security_key_credentials} (see V20__security_keys.sql for each column). */
@Entity
@Table(name = "security_key_credentials")
public class SecurityKeyCredentialEntity extends PanacheEntityBase {
    /** The {@code mfa_devices} row of the key. */
    @Id
    @Column(name = "device_id")
    public Long deviceId;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "credential_id", nullable = false, updatable = false)
    public byte[] credentialId;

    @Column(name = "public_key_cose", nullable = false, updatable = false)
    public byte[] publicKeyCose;

    @Column(name = "user_handle", nullable = false, updatable = false)
    public byte[] userHandle;

    @Column(name = "aaguid", nullable = false, updatable = false)
    public UUID aaguid;

    @Column(name = "sign_count", nullable = false)
    public long signCount;

    @Column(name = "transports", nullable = false, updatable = false)
    public String transports;

    @Column(name = "backup_eligible", nullable = false, updatable = false)
    public boolean backupEligible;

    @Column(name = "backup_state", nullable = false)
    public boolean backupState;

    @Column(name = "uv_initialized", nullable = false, updatable = false)
    public boolean uvInitialized;

    @Column(name = "attestation_format", nullable = false, updatable = false)
    public String attestationFormat;

    @Column(name = "attestation_object", nullable = false, updatable = false)
    public byte[] attestationObject;

    @Column(name = "possibly_cloned_at")
    public Instant possiblyClonedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Override
    public String toString() {
        return "SecurityKeyCredentialEntity[device " + deviceId + "]";
    }
}
