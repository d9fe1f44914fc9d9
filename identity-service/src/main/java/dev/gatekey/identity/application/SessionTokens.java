package dev.gatekey.identity.application;

import dev.gatekey.identity.config.IdentityConfig;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs Gatekey JWTs (RS256, key from {@code smallrye.jwt.sign.key.location}): {@code sub} and
 * {@code upn} are the principal ARN, the private claims are {@link Caller#claims()}, plus
 * {@code iss}, {@code iat}, {@code exp} and a random {@code jti}.
 */
@ApplicationScoped
public class SessionTokens {
    /** The principal identity-service uses when it calls another service for itself. */
    public static final String SERVICE_PRINCIPAL = "gatekey:service/identity-service";
    static final Duration SERVICE_TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** How long the token minted for one SigV4-signed request may be used (one request's calls). */
    static final Duration REQUEST_TOKEN_LIFETIME = Duration.ofMinutes(5);

    @Inject
    IdentityConfig config;

    @ConfigProperty(name = "smallrye.jwt.new-token.issuer")
    String issuer;

    /** A session token and when it expires. */
    public record IssuedToken(String token, Instant expiration) {
        @Override
        public String toString() {
            return "IssuedToken[expiration=" + expiration + "]";
        }
    }

    /** A session for a signed-in principal, valid for {@code gatekey.identity.session-duration}. */
    public IssuedToken issueSession(Caller caller) {
        return sign(caller, caller.issuedAt(), config.sessionDuration());
    }

    /**
     * {@code caller} (authenticated by a SigV4 signature) with a short-lived token carrying the
     * same claims, so that policy-service and mfa-device-service see the same principal and MFA
     * context as identity-service when called on the caller's behalf.
     */
    public Caller withRequestToken(Caller caller) {
        IssuedToken token = sign(caller, caller.issuedAt(), REQUEST_TOKEN_LIFETIME);
        return new Caller(caller.principalArn(), caller.principalType(), caller.accountId(), caller.userId(),
                caller.userName(), caller.multiFactorAuthPresent(), caller.multiFactorAuthTime(), caller.issuedAt(),
                token.token());
    }

    /** A short-lived token in which identity-service is the caller (for mfa-device-service). */
    public String serviceToken() {
        Instant now = Instant.now();
        Caller self = new Caller(SERVICE_PRINCIPAL, PrincipalType.SERVICE, null, null, null, Optional.empty(),
                Optional.empty(), now, null);
        return sign(self, now, SERVICE_TOKEN_LIFETIME).token();
    }

    private IssuedToken sign(Caller caller, Instant issuedAt, Duration lifetime) {
        Instant expiration = issuedAt.plus(lifetime);
        String token = Jwt.claims(caller.claims())
                .issuer(issuer)
                .subject(caller.principalArn())
                .upn(caller.principalArn())
                .issuedAt(issuedAt.getEpochSecond())
                .expiresAt(expiration.getEpochSecond())
                .claim("jti", UUID.randomUUID().toString())
                .sign();
        return new IssuedToken(token, Instant.ofEpochSecond(expiration.getEpochSecond()));
    }
}
