package dev.gatekey.identity.application;

import java.time.Instant;

/** Checks a TOTP code a user typed at sign-in (mfa-device-service owns the devices). */
public interface TotpVerifier {

    /**
     * Returns when the code was accepted (the start of aws:MultiFactorAuthAge).
     *
     * @throws dev.gatekey.identity.domain.InvalidAuthenticationCodeException for a wrong,
     *         replayed or foreign code; an UNAVAILABLE error when no answer could be had
     */
    Instant verifyTotp(String accountId, String userName, String serialNumber, String code);
}
