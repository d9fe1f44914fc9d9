package dev.gatekey.mfa.persistence;

import dev.gatekey.mfa.domain.EncryptedSeed;
import dev.gatekey.mfa.domain.HmacAlgorithm;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.domain.TotpParameters;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A row of {@code mfa_devices} (see V1__mfa_devices.sql for the meaning of each column). */
@Entity
@Table(name = "mfa_devices")
// Only changed columns are written, so an entity update never overwrites counters that
// conditional UPDATEs (replay, failures) advance concurrently.
@DynamicUpdate
public class MfaDeviceEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "serial_number", nullable = false, updatable = false)
    public String serialNumber;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Enumerated(EnumType.STRING)
    @Column(name = "device_type", nullable = false, updatable = false)
    public MfaDeviceType type;

    @Column(name = "device_name", updatable = false)
    public String deviceName;

    @Column(name = "path", nullable = false, updatable = false)
    public String path;

    @Column(name = "seed_ciphertext")
    public byte[] seedCiphertext;

    @Column(name = "seed_nonce")
    public byte[] seedNonce;

    @Column(name = "seed_key_id")
    public String seedKeyId;

    @Enumerated(EnumType.STRING)
    @Column(name = "totp_algorithm")
    public HmacAlgorithm totpAlgorithm;

    @Column(name = "totp_digits")
    public Short totpDigits;

    @Column(name = "totp_period_seconds")
    public Short totpPeriodSeconds;

    @Column(name = "user_name")
    public String userName;

    @Column(name = "enable_date")
    public Instant enableDate;

    @Column(name = "drift_steps", nullable = false)
    public int driftSteps;

    @Column(name = "last_used_step")
    public Long lastUsedStep;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    @Column(name = "last_failed_at")
    public Instant lastFailedAt;

    @Column(name = "locked_at")
    public Instant lockedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @ElementCollection
    @CollectionTable(name = "mfa_device_tags", joinColumns = @JoinColumn(name = "device_id"))
    @MapKeyColumn(name = "tag_key")
    @Column(name = "tag_value", nullable = false)
    public Map<String, String> tags = new LinkedHashMap<>();

    public EncryptedSeed encryptedSeed() {
        return new EncryptedSeed(seedKeyId, seedNonce, seedCiphertext);
    }

    public void storeSeed(EncryptedSeed seed, TotpParameters parameters) {
        seedKeyId = seed.keyId();
        seedNonce = seed.nonce();
        seedCiphertext = seed.ciphertext();
        totpAlgorithm = parameters.algorithm();
        totpDigits = (short) parameters.digits();
        totpPeriodSeconds = (short) parameters.periodSeconds();
    }

    public TotpParameters totpParameters() {
        return new TotpParameters(totpAlgorithm, totpDigits, totpPeriodSeconds);
    }

    @Override
    public String toString() {
        return "MfaDeviceEntity[" + serialNumber + "]";
    }
}
