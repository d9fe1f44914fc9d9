package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.SecretCipher;
import dev.gatekey.identity.domain.sigv4.SigV4Authorization;
import dev.gatekey.identity.domain.sigv4.SigV4Exception;
import dev.gatekey.identity.domain.sigv4.SigV4Verifier;
import dev.gatekey.identity.domain.sigv4.SignedRequest;
import dev.gatekey.platform.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Authenticates a SigV4-signed request: parses the signature, finds the credential, checks
 * session credentials' token and expiry, verifies the signature with the decrypted secret
 * (wiped right after), records the key's last use, and returns the caller with the MFA context
 * of DESIGN.md: a long-term key has no {@code aws:MultiFactorAuthPresent}, session credentials
 * carry {@code true} (with the MFA time) or {@code false}.
 */
@ApplicationScoped
public class SigV4Authentication {

    /** An authenticated request. */
    public record Authenticated(Caller caller, String accessKeyId, boolean sessionCredentials, String region) {
    }

    @Inject
    SigV4Verifier verifier;

    @Inject
    CredentialStore credentials;

    @Inject
    SecretCipher cipher;

    @Inject
    SessionTokens tokens;

    /**
     * @param service the signing name of the API the request calls ({@code iam}, {@code sts})
     * @throws SigV4Exception with AWS's code when the request cannot be authenticated
     */
    public Authenticated authenticate(SignedRequest request, String service) {
        SigV4Authorization authorization = verifier.parse(request);
        CredentialStore.StoredCredential credential = credentials.find(authorization.accessKeyId())
                .filter(CredentialStore.StoredCredential::active)
                .orElseThrow(SigV4Exception::invalidClientTokenId);
        if (credential.session()) {
            byte[] presented = authorization.securityToken().map(SigV4Authentication::sha256).orElse(new byte[32]);
            if (authorization.securityToken().isEmpty()
                    || !MessageDigest.isEqual(presented, credential.sessionTokenSha256())) {
                throw SigV4Exception.invalidClientTokenId();
            }
            if (!Instant.now().isBefore(credential.expiresAt())) {
                throw SigV4Exception.expiredToken();
            }
        } else if (authorization.securityToken().isPresent()) {
            // a session token presented with a long-term key belongs to no session of it
            throw SigV4Exception.invalidClientTokenId();
        }
        byte[] secret = cipher.open(credential.secret(), credential.accessKeyId());
        try {
            verifier.verify(request, authorization, secret, service);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        Instant now = Instant.now();
        if (!credential.session()) {
            credentials.recordUse(credential.accessKeyId(), now, service, authorization.region());
        }
        Caller caller = new Caller(credential.arn(), credential.type(), credential.accountId(), credential.userId(),
                credential.userName(),
                credential.session() ? Optional.of(credential.multiFactorAuth()) : Optional.empty(),
                credential.session() && credential.multiFactorAuth() ? credential.mfaAuthenticatedAt() : Optional.empty(),
                now, null);
        return new Authenticated(tokens.withRequestToken(caller), credential.accessKeyId(), credential.session(),
                authorization.region());
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
