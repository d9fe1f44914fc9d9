package dev.gatekey.identity.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The account created at first start ({@code GATEKEY_ACCOUNT_ID}, {@code GATEKEY_ACCOUNT_NAME},
 * {@code GATEKEY_ROOT_EMAIL}, {@code GATEKEY_ROOT_PASSWORD}). Nothing is bootstrapped when the
 * account id is not set.
 */
@ConfigMapping(prefix = "gatekey.bootstrap")
public interface BootstrapConfig {
    Optional<String> accountId();

    Optional<String> accountName();

    Optional<String> rootEmail();

    /** Read only while the account does not exist; stored as an Argon2id hash, never logged. */
    Optional<String> rootPassword();

    /**
     * An access key for the root user ({@code GATEKEY_ROOT_ACCESS_KEY_ID}, {@code AKIA} and 16
     * of {@code A-Z2-7}), imported with {@link #rootSecretAccessKey()} when no key has that id.
     */
    Optional<String> rootAccessKeyId();

    /** Its 40-character secret ({@code GATEKEY_ROOT_SECRET_ACCESS_KEY}); stored encrypted, never logged. */
    Optional<String> rootSecretAccessKey();
}
