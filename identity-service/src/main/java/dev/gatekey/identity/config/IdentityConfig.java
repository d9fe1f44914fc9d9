package dev.gatekey.identity.config;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** identity-service settings under {@code gatekey.identity}. */
@ConfigMapping(prefix = "gatekey.identity")
public interface IdentityConfig {
    /** How long a session token from SignIn is valid ({@code GATEKEY_SESSION_DURATION}, ISO-8601). */
    Duration sessionDuration();

    /**
     * The key ring for credential secrets at rest, {@code keyId:base64Key[,...]} of 256-bit AES
     * keys ({@code GATEKEY_IDENTITY_SECRET_KEYS}).
     */
    String secretKeys();

    /** The key id new secrets are encrypted under ({@code GATEKEY_IDENTITY_SECRET_ACTIVE_KEY_ID}). */
    String secretActiveKeyId();
}
