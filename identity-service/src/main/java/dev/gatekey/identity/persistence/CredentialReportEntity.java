package dev.gatekey.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code credential_reports}: the account's latest credential report (CSV). */
@Entity
@Table(name = "credential_reports")
public class CredentialReportEntity {
    @Id
    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "generated_at", nullable = false)
    public Instant generatedAt;

    @Column(name = "content", nullable = false)
    public byte[] content;
}
