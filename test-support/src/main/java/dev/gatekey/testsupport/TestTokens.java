package dev.gatekey.testsupport;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.iam.IamNames;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs caller tokens with the test key pair ({@code gatekey-test/jwt-private.pem}); services
 * under test verify them with {@code gatekey-test/jwt-public.pem}. Tests of services that do
 * not issue tokens use this to stand in for identity-service.
 */
public final class TestTokens {
    /** The issuer the services expect (their {@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "gatekey";
    public static final String ACCOUNT_ID = "123456789012";

    private TestTokens() {
    }

    public static String rootToken() {
        return sign(new Caller(IamNames.rootArn(ACCOUNT_ID), PrincipalType.ROOT, ACCOUNT_ID, ACCOUNT_ID,
                "root", Optional.of(false), Optional.empty(), Instant.now(), null));
    }

    /** A password-only session of IAM user {@code userName}: aws:MultiFactorAuthPresent=false. */
    public static String userToken(String userName) {
        return userToken(userName, Optional.of(false), Optional.empty());
    }

    /** A session of {@code userName} signed in with MFA {@code secondsAgo} seconds ago. */
    public static String userTokenWithMfa(String userName, long secondsAgo) {
        return userToken(userName, Optional.of(true), Optional.of(Instant.now().minusSeconds(secondsAgo)));
    }

    /** A long-term-credential session: aws:MultiFactorAuthPresent is absent. */
    public static String userTokenLongTerm(String userName) {
        return userToken(userName, Optional.empty(), Optional.empty());
    }

    public static String userToken(String userName, Optional<Boolean> mfa, Optional<Instant> mfaTime) {
        return sign(new Caller(IamNames.userArn(ACCOUNT_ID, userName), PrincipalType.USER, ACCOUNT_ID,
                "AIDA" + Integer.toHexString(userName.hashCode()).toUpperCase(), userName, mfa, mfaTime,
                Instant.now(), null));
    }

    public static String sign(Caller caller) {
        JwtClaimsBuilder builder = Jwt.claims(caller.claims()).issuer(ISSUER).subject(caller.principalArn())
                .upn(caller.principalArn()).expiresIn(3600);
        return builder.jws().keyId("gatekey-test").sign(privateKey());
    }

    private static PrivateKey privateKey() {
        try (InputStream in = TestTokens.class.getResourceAsStream("/gatekey-test/jwt-private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the test signing key", e);
        }
    }
}
