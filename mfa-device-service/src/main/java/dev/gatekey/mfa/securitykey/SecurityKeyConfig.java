package dev.gatekey.mfa.securitykey;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code gatekey.security-key.*}: this service as a WebAuthn relying party, from the
 * {@code GATEKEY_MFA_WEBAUTHN_*} environment variables (see the module README).
 */
@ConfigMapping(prefix = "gatekey.security-key")
public interface SecurityKeyConfig {
    /** The relying party id: the host name keys are scoped to. */
    @WithDefault("localhost")
    String rpId();

    /** The relying party name authenticators may show. */
    @WithDefault("Gatekey")
    String rpName();

    /** The exact origins the browser may report ({@code scheme://host[:port]}). */
    List<String> origins();

    /** {@code required}, {@code preferred} or {@code discouraged}. */
    @WithDefault("preferred")
    String userVerification();

    /** The attestation asked for by default: {@code none} or {@code direct}. */
    @WithDefault("none")
    String attestation();

    /** AAGUIDs of the key models allowed to register; any model when absent. */
    Optional<List<String>> aaguidAllowList();

    /**
     * A PEM file of root certificates that attestation statements must chain to; when set,
     * keys without such an attestation cannot register.
     */
    Optional<String> attestationTrustAnchors();

    /** How long a challenge can be answered. */
    @WithDefault("PT5M")
    Duration challengeTtl();
}
