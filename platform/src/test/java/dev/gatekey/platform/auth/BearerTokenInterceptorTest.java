package dev.gatekey.platform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.platform.error.GatekeyException;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptor's token handling with the real SmallRye JWT verification and the cache in front of it. */
class BearerTokenInterceptorTest {
    private static final KeyPair ISSUER_KEYS = rsa();
    private static final KeyPair OTHER_KEYS = rsa();

    /** SmallRye's parser, counting the tokens that reach it. */
    private static final class CountingParser extends DefaultJWTParser {
        int parsed;

        CountingParser(JWTAuthContextInfo info) {
            super(info);
        }

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            parsed++;
            return super.parse(token);
        }
    }

    private CountingParser parser;
    private BearerTokenInterceptor interceptor;

    @BeforeEach
    void setUp() {
        parser = new CountingParser(new JWTAuthContextInfo(ISSUER_KEYS.getPublic(), "gatekey"));
        interceptor = new BearerTokenInterceptor();
        interceptor.parser = parser;
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(PrivateKey key, Instant issuedAt, Instant expiresAt) {
        Caller alice = new Caller("arn:aws:iam::123456789012:user/alice", PrincipalType.USER, "123456789012",
                "AIDAALICE", "alice", Optional.of(true), Optional.of(issuedAt), issuedAt, null);
        return Jwt.claims(alice.claims()).issuer("gatekey").subject(alice.principalArn()).issuedAt(issuedAt)
                .expiresAt(expiresAt).jws().keyId("test").sign(key);
    }

    private static String tamper(String token) {
        int i = token.lastIndexOf('.') + 20; // inside the signature
        char c = token.charAt(i) == 'A' ? 'B' : 'A';
        return token.substring(0, i) + c + token.substring(i + 1);
    }

    private static void assertRefused(Runnable call) {
        GatekeyException e = assertThrows(GatekeyException.class, call::run);
        assertEquals("InvalidClientTokenId", e.code());
    }

    @Test
    void aSessionTokenIsVerifiedOnceThenServedFromTheCache() {
        String token = token(ISSUER_KEYS.getPrivate(), Instant.now(), Instant.now().plusSeconds(3600));

        Caller first = interceptor.parse("Bearer " + token);
        Caller second = interceptor.parse("Bearer " + token);

        assertEquals("alice", first.userName());
        assertEquals(Optional.of(true), second.multiFactorAuthPresent());
        assertEquals(token, second.token());
        assertEquals(1, parser.parsed);
    }

    @Test
    void aCachedTokenWithOneByteChangedMissesTheCacheAndFailsVerification() {
        String token = token(ISSUER_KEYS.getPrivate(), Instant.now(), Instant.now().plusSeconds(3600));
        interceptor.parse("Bearer " + token);

        assertRefused(() -> interceptor.parse("Bearer " + tamper(token)));
        assertEquals(2, parser.parsed);
        // the genuine token is unaffected
        assertEquals("alice", interceptor.parse("Bearer " + token).userName());
        assertEquals(2, parser.parsed);
    }

    @Test
    void aForgedTokenWithTheSameClaimsIsRefusedEveryTime() {
        Instant now = Instant.now();
        String genuine = token(ISSUER_KEYS.getPrivate(), now, now.plusSeconds(3600));
        String forged = token(OTHER_KEYS.getPrivate(), now, now.plusSeconds(3600));
        interceptor.parse("Bearer " + genuine);

        assertRefused(() -> interceptor.parse("Bearer " + forged));
        assertRefused(() -> interceptor.parse("Bearer " + forged));
        assertEquals(3, parser.parsed);
    }

    @Test
    void anExpiredTokenIsRefusedAndNeverCached() {
        Instant issued = Instant.now().minusSeconds(7200);
        String expired = token(ISSUER_KEYS.getPrivate(), issued, issued.plusSeconds(3600));

        assertRefused(() -> interceptor.parse("Bearer " + expired));
        assertRefused(() -> interceptor.parse("Bearer " + expired));
        assertEquals(2, parser.parsed);
    }

    @Test
    void aCachedTokenIsNotServedOnceItsExpiryHasPassed() {
        Instant now = Instant.now();
        String token = token(ISSUER_KEYS.getPrivate(), now, now.plusSeconds(600));
        interceptor.parse("Bearer " + token);

        interceptor.clock = Clock.fixed(now.plusSeconds(600), ZoneOffset.UTC);
        interceptor.parse("Bearer " + token); // SmallRye still accepts it (clock skew): verified again

        assertEquals(2, parser.parsed);
    }
}
