package dev.gatekey.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code login_profiles}: an IAM user's password hash. */
@Entity
@Table(name = "login_profiles")
public class LoginProfileEntity {
    @Id
    @Column(name = "user_id", nullable = false, updatable = false)
    public String userId;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "password_reset_required", nullable = false)
    public boolean passwordResetRequired;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** Null for profiles created before schema version 2. */
    @Column(name = "password_last_changed")
    public Instant passwordLastChanged;

    /** The last successful sign-in with this password (written by sign-in only). */
    @Column(name = "password_last_used", insertable = false, updatable = false)
    public Instant passwordLastUsed;
}
