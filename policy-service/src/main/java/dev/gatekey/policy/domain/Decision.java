package dev.gatekey.policy.domain;

/** The outcome of an authorization request, named as in AWS's policy simulator. */
public enum Decision {
    /** An Allow statement matched and no Deny statement did. */
    ALLOWED,
    /** A Deny statement matched; nothing overrides it. */
    EXPLICIT_DENY,
    /** No statement allowed the request. */
    IMPLICIT_DENY
}
