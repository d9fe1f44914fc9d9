package dev.gatekey.mfa.securitykey.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import java.util.Map;
import java.util.Optional;

/**
 * A WebAuthn ceremony failed: AWS's {@code InvalidAuthenticationCode} (what AWS answers when a
 * second factor does not check out), with the failed check in {@code ErrorInfo.metadata.failure}.
 * Carries the credential id (never shown to the caller) when the failure concerns a stored key.
 */
public class SecurityKeyRejectedException extends GatekeyException {
    public static final String CODE = "InvalidAuthenticationCode";

    private final CeremonyFailure failure;
    private final transient byte[] credentialId;

    public SecurityKeyRejectedException(CeremonyFailure failure) {
        this(failure, null, null);
    }

    public SecurityKeyRejectedException(CeremonyFailure failure, byte[] credentialId, Throwable cause) {
        super(CODE, ErrorKind.UNAUTHENTICATED, failure.message(), Map.of("failure", failure.name()));
        this.failure = failure;
        this.credentialId = credentialId == null ? null : credentialId.clone();
        if (cause != null) {
            initCause(cause);
        }
    }

    public CeremonyFailure failure() {
        return failure;
    }

    /** The credential the failure is about, when it is a known one. */
    public Optional<byte[]> credentialId() {
        return Optional.ofNullable(credentialId).map(byte[]::clone);
    }
}
