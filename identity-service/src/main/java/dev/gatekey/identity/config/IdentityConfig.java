package dev.gatekey.identity.config;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** identity-service settings under {@code gatekey.identity}. */
@ConfigMapping(prefix = "gatekey.identity")
public interface IdentityConfig {
    /** How long a session token from SignIn is valid ({@code GATEKEY_SESSION_DURATION}, ISO-8601). */
    Duration sessionDuration();
}
