package dev.gatekey.identity.domain.sigv4;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/**
 * A request whose Signature Version 4 authentication fails, with AWS's error code and AWS's
 * wording (AWS General Reference, "Common errors"; the messages are those IAM and STS return).
 * Messages never contain the secret or the expected signature.
 */
public class SigV4Exception extends GatekeyException {

    SigV4Exception(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }

    /** No Authorization header and no presigned query: the request is anonymous. */
    public static SigV4Exception missingAuthenticationToken() {
        return new SigV4Exception("MissingAuthenticationToken", ErrorKind.UNAUTHENTICATED,
                "Request is missing Authentication Token");
    }

    /** The authorization header or query is not a complete AWS4-HMAC-SHA256 signature. */
    public static SigV4Exception incompleteSignature(String message) {
        return new SigV4Exception("IncompleteSignature", ErrorKind.INVALID_INPUT, message);
    }

    /** The access key id (or the session token belonging to it) is not known. */
    public static SigV4Exception invalidClientTokenId() {
        return new SigV4Exception("InvalidClientTokenId", ErrorKind.UNAUTHENTICATED,
                "The security token included in the request is invalid.");
    }

    /** Session credentials whose expiration has passed. */
    public static SigV4Exception expiredToken() {
        return new SigV4Exception("ExpiredToken", ErrorKind.UNAUTHENTICATED,
                "The security token included in the request is expired");
    }

    public static SigV4Exception signatureDoesNotMatch(String message) {
        return new SigV4Exception("SignatureDoesNotMatch", ErrorKind.UNAUTHENTICATED, message);
    }

    /** More than 15 minutes from the request's date, or past a presigned request's expiry. */
    public static SigV4Exception requestExpired(String message) {
        return new SigV4Exception("RequestExpired", ErrorKind.INVALID_INPUT, message);
    }
}
