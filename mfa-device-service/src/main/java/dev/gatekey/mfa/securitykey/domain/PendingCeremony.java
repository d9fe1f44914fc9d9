package dev.gatekey.mfa.securitykey.domain;

import java.time.Instant;

/**
 * A challenge issued and not yet answered: what the response must be checked against.
 *
 * @param challenge the random bytes the client data must echo (WebAuthn L3 13.4.3)
 * @param userVerification the requirement the options carried
 * @param expiresAt the challenge can be answered before this instant only
 */
public record PendingCeremony(byte[] challenge, UserVerificationPolicy userVerification, Instant expiresAt) {

    public PendingCeremony {
        challenge = challenge.clone();
    }

    @Override
    public byte[] challenge() {
        return challenge.clone();
    }

    /** Refuses a challenge answered at {@code now} or later than its expiry. */
    public void requireUnexpired(Instant now) {
        if (!now.isBefore(expiresAt)) {
            throw new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_EXPIRED);
        }
    }
}
