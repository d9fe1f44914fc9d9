package dev.gatekey.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code accounts}: an account and its root user's sign-in credentials. */
@Entity
@Table(name = "accounts")
public class AccountEntity {
    @Id
    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "account_name", nullable = false)
    public String accountName;

    @Column(name = "root_email", nullable = false)
    public String rootEmail;

    @Column(name = "root_password_hash", nullable = false)
    public String rootPasswordHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** The root user's last successful sign-in (written by sign-in only). */
    @Column(name = "root_password_last_used", insertable = false, updatable = false)
    public Instant rootPasswordLastUsed;
}
