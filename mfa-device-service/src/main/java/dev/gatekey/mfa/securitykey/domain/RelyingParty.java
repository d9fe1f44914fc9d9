package dev.gatekey.mfa.securitykey.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * This service as a WebAuthn relying party (WebAuthn L3 5.1): its RP ID, the origins the
 * browser may report, and the policy every ceremony applies.
 *
 * @param rpId the effective domain keys are scoped to (a host name, no scheme or port)
 * @param rpName the name authenticators may show
 * @param origins the exact origins ({@code scheme://host[:port]}) accepted in client data
 * @param userVerification the user-verification requirement of both ceremonies
 * @param defaultAttestation the attestation asked for when a registration does not say
 * @param aaguidAllowList authenticator models allowed to register; empty allows any
 * @param challengeTtl how long a challenge can be answered
 * @param attestationTrustAnchors root certificates attestation statements must chain to; when
 *     given, only keys with such an attestation register (no {@code none}, no self attestation),
 *     which is what makes the AAGUID allow-list binding; empty accepts any valid statement
 */
public record RelyingParty(
        String rpId,
        String rpName,
        Set<String> origins,
        UserVerificationPolicy userVerification,
        AttestationConveyance defaultAttestation,
        Set<UUID> aaguidAllowList,
        Duration challengeTtl,
        Set<X509Certificate> attestationTrustAnchors) {

    public RelyingParty {
        if (rpId == null || rpId.isBlank() || rpId.contains("/") || rpId.contains(":")) {
            throw new IllegalArgumentException("the relying party id must be a host name, not " + rpId);
        }
        if (rpName == null || rpName.isBlank()) {
            throw new IllegalArgumentException("the relying party name must not be empty");
        }
        if (origins == null || origins.isEmpty()) {
            throw new IllegalArgumentException("at least one allowed origin is needed");
        }
        for (String origin : origins) {
            requireOrigin(origin);
        }
        if (challengeTtl == null || challengeTtl.isNegative() || challengeTtl.isZero()) {
            throw new IllegalArgumentException("the challenge lifetime must be positive");
        }
        origins = Set.copyOf(new LinkedHashSet<>(origins));
        aaguidAllowList = aaguidAllowList == null ? Set.of() : Set.copyOf(aaguidAllowList);
        attestationTrustAnchors = attestationTrustAnchors == null ? Set.of() : Set.copyOf(attestationTrustAnchors);
    }

    /** Whether registration needs an attestation that chains to a configured root. */
    public boolean requiresTrustedAttestation() {
        return !attestationTrustAnchors.isEmpty();
    }

    private static void requireOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            boolean bare = (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null
                    && uri.getFragment() == null && uri.getUserInfo() == null;
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || !bare) {
                throw new IllegalArgumentException("an allowed origin must be scheme://host[:port], not " + origin);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("an allowed origin must be scheme://host[:port], not " + origin, e);
        }
    }
}
