package dev.gatekey.platform.error;

import java.util.Map;

/**
 * The root of every service's exception hierarchy. {@link #code()} is AWS's error code
 * (for example {@code NoSuchEntity}); the message is safe to show to the caller: it never
 * carries secrets and never reveals whether an account exists.
 */
public class GatekeyException extends RuntimeException {
    private final String code;
    private final ErrorKind kind;
    private final Map<String, String> metadata;

    public GatekeyException(String code, ErrorKind kind, String message) {
        this(code, kind, message, Map.of());
    }

    public GatekeyException(String code, ErrorKind kind, String message, Map<String, String> metadata) {
        super(message);
        this.code = code;
        this.kind = kind;
        this.metadata = Map.copyOf(metadata);
    }

    /** AWS's error code, for example {@code EntityAlreadyExists}. */
    public String code() {
        return code;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Structured details for clients (never secrets), carried in {@code ErrorInfo.metadata}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public static GatekeyException invalidInput(String message) {
        return new GatekeyException("ValidationError", ErrorKind.INVALID_INPUT, message);
    }

    public static GatekeyException noSuchEntity(String message) {
        return new GatekeyException("NoSuchEntity", ErrorKind.NOT_FOUND, message);
    }

    public static GatekeyException entityAlreadyExists(String message) {
        return new GatekeyException("EntityAlreadyExists", ErrorKind.ALREADY_EXISTS, message);
    }

    public static GatekeyException limitExceeded(String message) {
        return new GatekeyException("LimitExceeded", ErrorKind.LIMIT_EXCEEDED, message);
    }

    public static GatekeyException missingAuthenticationToken() {
        return new GatekeyException("MissingAuthenticationToken", ErrorKind.UNAUTHENTICATED,
                "Request is missing a bearer token in the authorization metadata.");
    }
}
