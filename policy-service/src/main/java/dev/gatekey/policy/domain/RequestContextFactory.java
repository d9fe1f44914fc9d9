package dev.gatekey.policy.domain;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.error.GatekeyException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the request context of a caller's request with the global condition keys AWS sets
 * from the principal and its credentials (IAM User Guide, "AWS global condition context keys"):
 * aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
 * aws:MultiFactorAuthPresent (absent for long-term credentials), aws:MultiFactorAuthAge (only
 * with MFA), aws:TokenIssueTime (only for temporary credentials), aws:CurrentTime, aws:EpochTime.
 * Keys a request may not set (identity, MFA, time) are rejected: they come from the token.
 */
public final class RequestContextFactory {
    private RequestContextFactory() {
    }

    public static RequestContext fromCaller(Caller caller, String action, String resource,
            Map<String, List<String>> requestEntries, Instant now) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        requestEntries.forEach((key, values) -> {
            if (key == null || !key.matches("[A-Za-z0-9-]+:[^\\s]+")) {
                throw GatekeyException.invalidInput("Context key '" + key + "' is not a valid condition key name.");
            }
            if (reserved(key)) {
                throw GatekeyException.invalidInput("Context key " + key
                        + " describes the caller and is taken from its token; it cannot be set in the request.");
            }
            keys.put(key, List.copyOf(values));
        });
        Instant current = now.truncatedTo(ChronoUnit.SECONDS);
        keys.put("aws:CurrentTime", List.of(current.toString()));
        keys.put("aws:EpochTime", List.of(Long.toString(current.getEpochSecond())));
        keys.put("aws:PrincipalArn", List.of(caller.principalArn()));
        keys.put("aws:PrincipalType", List.of(caller.principalType().awsValue()));
        if (caller.accountId() != null) {
            keys.put("aws:PrincipalAccount", List.of(caller.accountId()));
        }
        String userId = caller.principalType() == PrincipalType.ROOT ? caller.accountId() : caller.userId();
        if (userId != null) {
            keys.put("aws:userid", List.of(userId));
        }
        if (caller.principalType() == PrincipalType.USER && caller.userName() != null) {
            keys.put("aws:username", List.of(caller.userName()));
        }
        caller.multiFactorAuthPresent().ifPresent(present -> {
            keys.put("aws:MultiFactorAuthPresent", List.of(present.toString()));
            if (caller.issuedAt() != null) {
                // Only temporary credentials (sessions) carry aws:MultiFactorAuthPresent and a token.
                keys.put("aws:TokenIssueTime", List.of(caller.issuedAt().truncatedTo(ChronoUnit.SECONDS).toString()));
            }
        });
        caller.multiFactorAuthAge(now).ifPresent(age -> keys.put("aws:MultiFactorAuthAge", List.of(age.toString())));
        return new RequestContext(caller.principalArn(), caller.principalType(), caller.accountId(), action, resource,
                keys);
    }

    /** Keys that describe the caller, its MFA or the time. */
    static boolean reserved(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.startsWith("aws:multifactorauth") || k.startsWith("aws:principal") || k.equals("aws:username")
                || k.equals("aws:userid") || k.equals("aws:tokenissuetime") || k.equals("aws:currenttime")
                || k.equals("aws:epochtime");
    }
}
