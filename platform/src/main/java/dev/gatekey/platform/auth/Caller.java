package dev.gatekey.platform.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The authenticated principal of a request and its MFA context, as carried in a Gatekey JWT.
 *
 * <p>{@code multiFactorAuthPresent} is empty when the caller used long-term credentials (an
 * access key), {@code false} for a session signed in with a password only, {@code true} with
 * MFA; this is AWS's table for {@code aws:MultiFactorAuthPresent}.
 *
 * @param token the encoded JWT, forwarded unchanged when asking policy-service for a decision
 */
public record Caller(
        String principalArn,
        PrincipalType principalType,
        String accountId,
        String userId,
        String userName,
        Optional<Boolean> multiFactorAuthPresent,
        Optional<Instant> multiFactorAuthTime,
        Instant issuedAt,
        String token) {

    /** JWT claim names; the ones AWS defines as condition keys use AWS's key names. */
    public static final class Claims {
        public static final String ACCOUNT = "aws:PrincipalAccount";
        public static final String PRINCIPAL_TYPE = "aws:PrincipalType";
        public static final String USER_ID = "aws:userid";
        public static final String USER_NAME = "aws:username";
        public static final String MFA_PRESENT = "aws:MultiFactorAuthPresent";
        /** Epoch seconds at which the MFA code was accepted; aws:MultiFactorAuthAge counts from it. */
        public static final String MFA_TIME = "gatekey:MultiFactorAuthTime";

        private Claims() {
        }
    }

    public boolean isRoot() {
        return principalType == PrincipalType.ROOT;
    }

    /** Seconds since MFA authentication at {@code now}; empty without MFA (AWS: key absent). */
    public Optional<Long> multiFactorAuthAge(Instant now) {
        if (!multiFactorAuthPresent.orElse(false)) {
            return Optional.empty();
        }
        return multiFactorAuthTime.map(t -> Math.max(0, Duration.between(t, now).getSeconds()));
    }

    /** The private claims of a token for this caller ({@code sub} is the principal ARN). */
    public Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(Claims.PRINCIPAL_TYPE, principalType.awsValue());
        // a service principal has no account, user id or user name: those claims are left out
        if (accountId != null) {
            claims.put(Claims.ACCOUNT, accountId);
        }
        if (userId != null) {
            claims.put(Claims.USER_ID, userId);
        }
        if (userName != null) {
            claims.put(Claims.USER_NAME, userName);
        }
        multiFactorAuthPresent.ifPresent(v -> claims.put(Claims.MFA_PRESENT, v));
        multiFactorAuthTime.ifPresent(t -> claims.put(Claims.MFA_TIME, t.getEpochSecond()));
        return claims;
    }
}
