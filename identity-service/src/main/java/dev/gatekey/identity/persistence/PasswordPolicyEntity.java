package dev.gatekey.identity.persistence;

import dev.gatekey.identity.domain.AccountPasswordPolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Optional;

/** A row of {@code account_password_policies}. */
@Entity
@Table(name = "account_password_policies")
public class PasswordPolicyEntity {
    @Id
    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(name = "minimum_password_length", nullable = false)
    public int minimumPasswordLength;

    @Column(name = "require_symbols", nullable = false)
    public boolean requireSymbols;

    @Column(name = "require_numbers", nullable = false)
    public boolean requireNumbers;

    @Column(name = "require_uppercase_characters", nullable = false)
    public boolean requireUppercaseCharacters;

    @Column(name = "require_lowercase_characters", nullable = false)
    public boolean requireLowercaseCharacters;

    @Column(name = "allow_users_to_change_password", nullable = false)
    public boolean allowUsersToChangePassword;

    @Column(name = "max_password_age")
    public Integer maxPasswordAge;

    @Column(name = "password_reuse_prevention")
    public Integer passwordReusePrevention;

    @Column(name = "hard_expiry", nullable = false)
    public boolean hardExpiry;

    public AccountPasswordPolicy toDomain() {
        return new AccountPasswordPolicy(minimumPasswordLength, requireSymbols, requireNumbers,
                requireUppercaseCharacters, requireLowercaseCharacters, allowUsersToChangePassword,
                Optional.ofNullable(maxPasswordAge), Optional.ofNullable(passwordReusePrevention), hardExpiry);
    }
}
