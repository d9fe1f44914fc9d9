package dev.gatekey.mfa.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** {@code gatekey.mfa.*}, from application.properties / environment (see the module README). */
@ConfigMapping(prefix = "gatekey.mfa")
public interface MfaConfig {
    /** AES-256-GCM key ring for seeds at rest: {@code keyId:base64Key[,keyId:base64Key...]}. */
    @WithName("seed-keys")
    String seedKeys();

    /** The key id new seeds are encrypted under. */
    @WithName("seed-active-key-id")
    String seedActiveKeyId();

    /** The otpauth {@code issuer} shown by authenticator apps. */
    String issuer();

    /**
     * How many TOTP devices VerifyTotp remembers (about half a kilobyte each) so that a right
     * code costs one UPDATE; 0 turns it off.
     */
    @WithName("remembered-devices")
    int rememberedDevices();
}
