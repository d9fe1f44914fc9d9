package dev.gatekey.platform.error;

/**
 * The kind of a failure, independent of transport. Each kind maps to one gRPC status code and
 * (in the Query API) to AWS's HTTP status for the error code.
 */
public enum ErrorKind {
    /** The request is malformed or a parameter is invalid (AWS 400). */
    INVALID_INPUT,
    /** The caller is not authenticated, or a credential or code is wrong (AWS 403). */
    UNAUTHENTICATED,
    /** Policy denies the action (AWS 403 {@code AccessDenied}). */
    ACCESS_DENIED,
    /** The named entity does not exist (AWS 404 {@code NoSuchEntity}). */
    NOT_FOUND,
    /** The entity already exists (AWS 409 {@code EntityAlreadyExists}). */
    ALREADY_EXISTS,
    /** The entity is in a state that forbids the request (AWS 409 {@code DeleteConflict}). */
    CONFLICT,
    /** A quota would be exceeded (AWS 409 {@code LimitExceeded}). */
    LIMIT_EXCEEDED,
    /** A dependency could not answer; the request was refused (fail closed). */
    UNAVAILABLE,
    /** A fault on the server's side. */
    INTERNAL
}
