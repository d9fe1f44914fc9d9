package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.CredentialIds;
import dev.gatekey.identity.domain.InvalidAuthenticationCodeException;
import dev.gatekey.identity.domain.SecretCipher;
import dev.gatekey.identity.persistence.SessionCredentialEntity;
import dev.gatekey.identity.persistence.SessionCredentialRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * STS GetSessionToken (STS API reference): temporary credentials for an IAM user or the root
 * user, optionally after an MFA code, whose requests carry {@code aws:MultiFactorAuthPresent}
 * true (with {@code aws:MultiFactorAuthAge} counted from the code) or false.
 */
@ApplicationScoped
public class StsSessions {
    public static final int MIN_DURATION = 900;
    public static final int MAX_DURATION = 129_600;
    public static final int DEFAULT_DURATION = 43_200;
    /** The root user's sessions last at most (and by default) one hour. */
    public static final int ROOT_MAX_DURATION = 3_600;
    private static final Pattern TOKEN_CODE = Pattern.compile("\\d{6}");
    private static final Pattern SERIAL_NUMBER = Pattern.compile("[\\w+=/:,.@-]{9,256}");

    /** Temporary credentials, shown once. */
    public record SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
            Instant expiration) {
        @Override
        public String toString() {
            return "SessionCredentials[accessKeyId=" + accessKeyId + ", expiration=" + expiration + "]";
        }
    }

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    TotpVerifier totp;

    @Inject
    CredentialIds ids;

    @Inject
    SecretCipher cipher;

    @Inject
    SessionCredentialRepository sessions;

    /**
     * @param signedWithSession whether the request was signed with session credentials (AWS
     *                          refuses GetSessionToken then)
     */
    public SessionCredentials getSessionToken(Caller caller, String sourceAccessKeyId, boolean signedWithSession,
            Optional<Integer> durationSeconds, Optional<String> serialNumber, Optional<String> tokenCode) {
        if (signedWithSession) {
            throw new AccessDeniedException("Cannot call GetSessionToken with session credentials");
        }
        String accountId = Principals.accountOf(caller);
        int duration = durationSeconds.orElse(caller.isRoot() ? ROOT_MAX_DURATION : DEFAULT_DURATION);
        if (duration < MIN_DURATION) {
            throw IamNames.validationError("durationSeconds", Integer.toString(duration),
                    "Member must have value greater than or equal to " + MIN_DURATION);
        }
        if (duration > MAX_DURATION) {
            throw IamNames.validationError("durationSeconds", Integer.toString(duration),
                    "Member must have value less than or equal to " + MAX_DURATION);
        }
        if (caller.isRoot()) {
            duration = Math.min(duration, ROOT_MAX_DURATION); // AWS: the root's sessions default to one hour
        }
        serialNumber.filter(s -> !SERIAL_NUMBER.matcher(s).matches()).ifPresent(s -> {
            throw IamNames.validationError("serialNumber", s, "Member must have length between 9 and 256 and"
                    + " satisfy regular expression pattern: [\\w+=/:,.@-]+");
        });
        tokenCode.filter(c -> !TOKEN_CODE.matcher(c).matches()).ifPresent(c -> {
            throw IamNames.validationError("tokenCode", c, "Member must have length greater than or equal to 6"
                    + " and satisfy regular expression pattern: [\\d]*");
        });
        if (serialNumber.isPresent() != tokenCode.isPresent()) {
            throw new GatekeyException("ValidationError", dev.gatekey.platform.error.ErrorKind.INVALID_INPUT,
                    "SerialNumber and TokenCode must be given together");
        }
        authorizeUnlessExplicitlyDenied(caller, accountId);
        Optional<Instant> mfaTime = Optional.empty();
        if (serialNumber.isPresent()) {
            try {
                mfaTime = Optional.of(totp.verifyTotp(accountId, caller.isRoot() ? "" : caller.userName(), serialNumber.get(),
                        tokenCode.get()));
            } catch (InvalidAuthenticationCodeException e) {
                throw new AccessDeniedException("MultiFactorAuthentication failed with invalid MFA one time pass code.");
            }
        }
        return store(caller, accountId, sourceAccessKeyId, duration, mfaTime);
    }

    /**
     * No permission is needed to call GetSessionToken, but an explicit deny applies (AWS's
     * MFA policies list {@code sts:GetSessionToken} among the actions they do not deny).
     */
    private void authorizeUnlessExplicitlyDenied(Caller caller, String accountId) {
        String resource = caller.isRoot() ? IamNames.rootArn(accountId) : caller.principalArn();
        try {
            enforcer.authorize(caller, "sts:GetSessionToken", resource);
        } catch (AccessDeniedException e) {
            if (e.getMessage() != null && e.getMessage().endsWith("with an explicit deny in an identity-based policy")) {
                throw e;
            }
        }
    }

    @Transactional
    SessionCredentials store(Caller caller, String accountId, String sourceAccessKeyId, int duration,
            Optional<Instant> mfaTime) {
        String accessKeyId = ids.newSessionAccessKeyId();
        String secret = ids.newSecretAccessKey();
        String token = ids.newSessionToken();
        byte[] plain = secret.getBytes(StandardCharsets.US_ASCII);
        SecretCipher.Sealed sealed;
        try {
            sealed = cipher.seal(plain, accessKeyId);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SessionCredentialEntity session = new SessionCredentialEntity();
        session.accessKeyId = accessKeyId;
        session.accountId = accountId;
        session.userId = caller.isRoot() ? null : caller.userId();
        session.sourceAccessKeyId = sourceAccessKeyId;
        session.secretKeyId = sealed.keyId();
        session.secretCiphertext = sealed.ciphertext();
        session.sessionTokenSha256 = SigV4Authentication.sha256(token);
        session.multiFactorAuth = mfaTime.isPresent();
        session.mfaAuthenticatedAt = mfaTime.orElse(null);
        session.createdAt = now;
        session.expiresAt = now.plusSeconds(duration);
        sessions.persist(session);
        return new SessionCredentials(accessKeyId, secret, token, session.expiresAt);
    }
}
