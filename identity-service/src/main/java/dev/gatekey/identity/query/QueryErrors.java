package dev.gatekey.identity.query;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import java.util.Map;

/**
 * The one mapping from Gatekey errors to AWS Query error responses: AWS's HTTP status per
 * error code (IAM and STS API references, "Errors"; AWS General Reference, "Common errors"),
 * else the status of the error's kind; {@code Type} is {@code Receiver} for 5xx, else
 * {@code Sender}.
 */
public final class QueryErrors {
    private static final Map<String, Integer> STATUS = Map.ofEntries(
            Map.entry("NoSuchEntity", 404),
            Map.entry("EntityAlreadyExists", 409),
            Map.entry("LimitExceeded", 409),
            Map.entry("DeleteConflict", 409),
            Map.entry("ConcurrentModification", 409),
            Map.entry("EntityTemporarilyUnmodifiable", 409),
            Map.entry("ReportNotPresent", 410),
            Map.entry("ReportExpired", 410),
            Map.entry("ReportInProgress", 404),
            Map.entry("AccessDenied", 403),
            Map.entry("InvalidClientTokenId", 403),
            Map.entry("SignatureDoesNotMatch", 403),
            Map.entry("MissingAuthenticationToken", 403),
            Map.entry("ExpiredToken", 403),
            Map.entry("InvalidAuthenticationCode", 403),
            // Gatekey's brute-force defence (mfa-device-service): a locked device refuses the caller
            Map.entry("MFADeviceLocked", 403),
            Map.entry("Throttling", 400),
            Map.entry("IncompleteSignature", 400),
            Map.entry("RequestExpired", 400),
            Map.entry("ValidationError", 400),
            Map.entry("InvalidInput", 400),
            Map.entry("MalformedInput", 400),
            Map.entry("MalformedPolicyDocument", 400),
            Map.entry("PasswordPolicyViolation", 400),
            Map.entry("InvalidAction", 400),
            Map.entry("MissingAction", 400),
            Map.entry("MissingParameter", 400),
            Map.entry("InvalidParameterValue", 400),
            Map.entry("InvalidParameterCombination", 400),
            Map.entry("UnmodifiableEntity", 400),
            Map.entry("ServiceUnavailable", 503),
            Map.entry("ServiceFailure", 500));

    private QueryErrors() {
    }

    public static int status(GatekeyException e) {
        Integer status = STATUS.get(e.code());
        if (status != null) {
            return status;
        }
        return status(e.kind());
    }

    static int status(ErrorKind kind) {
        return switch (kind) {
            case INVALID_INPUT -> 400;
            case UNAUTHENTICATED, ACCESS_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, CONFLICT, LIMIT_EXCEEDED -> 409;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    public static String type(int status) {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
