package dev.gatekey.mfa.securitykey.domain;

/**
 * Why a WebAuthn ceremony was refused: the {@code failure} in the error's metadata, with the
 * message the caller sees. Named after the check of WebAuthn L3 sections 7.1 (registration)
 * and 7.2 (authentication) that failed.
 */
public enum CeremonyFailure {
    /** The challenge id was never issued, or its challenge was already answered (single use). */
    CHALLENGE_UNKNOWN("The challenge is unknown or was already used; start the ceremony again."),
    /** The challenge was answered after it expired. */
    CHALLENGE_EXPIRED("The challenge has expired; start the ceremony again."),
    /** The challenge belongs to another ceremony or user. */
    CHALLENGE_NOT_FOR_THIS_CEREMONY("The challenge was issued for another ceremony or user."),
    /** 7.1 step 8 / 7.2 step 12: clientDataJSON.challenge is not the issued challenge. */
    CHALLENGE_MISMATCH("The client data does not carry the challenge that was issued."),
    /** 7.1 step 9 / 7.2 step 13: clientDataJSON.origin is not an allowed origin. */
    ORIGIN_MISMATCH("The origin in the client data is not an allowed origin of this relying party."),
    /** 7.1 step 7 / 7.2 step 11: clientDataJSON.type is not webauthn.create / webauthn.get. */
    CLIENT_DATA_TYPE_MISMATCH("The client data is of the wrong type for this ceremony."),
    /** 7.1 step 13 / 7.2 step 15: rpIdHash is not the hash of this relying party's id. */
    RP_ID_MISMATCH("The authenticator data is not scoped to this relying party's id."),
    /** 7.1 step 14 / 7.2 step 16: the UP flag is not set. */
    USER_NOT_PRESENT("The security key did not confirm the user's presence."),
    /** 7.1 step 15 / 7.2 step 17: user verification is required and the UV flag is not set. */
    USER_NOT_VERIFIED("User verification is required and the security key did not verify the user."),
    /** 7.1 step 17: the credential's algorithm is not one the options offered. */
    ALGORITHM_NOT_ALLOWED("The credential's public key algorithm is not allowed."),
    /** 7.1 steps 19-23: the attestation statement is invalid. */
    ATTESTATION_INVALID("The attestation statement of the security key is not valid."),
    /** Policy: trust anchors are configured and the attestation does not chain to one (or is none/self). */
    ATTESTATION_NOT_TRUSTED("The security key's attestation does not chain to a trusted root certificate; only"
            + " keys with a trusted attestation can be registered."),
    /** Policy: the authenticator model (AAGUID) is not on the allow-list. */
    AAGUID_NOT_ALLOWED("This model of security key (AAGUID) is not allowed."),
    /** 7.2 step 20: the assertion signature does not verify with the stored public key. */
    SIGNATURE_INVALID("The assertion signature is not valid for the registered public key."),
    /** 7.2 steps 5-6: the credential is not one of the user's security keys. */
    UNKNOWN_CREDENTIAL("The credential is not a registered security key of this user."),
    /** 7.2 step 6: the credential is registered, to another user. */
    CREDENTIAL_OF_ANOTHER_USER("The credential belongs to a security key of another user."),
    /** 7.2 step 22: the signature counter did not increase; the key is flagged as possibly cloned. */
    COUNTER_NOT_INCREASED("The security key's signature counter did not increase: the key may have been cloned."
            + " It is disabled until an administrator removes it and it is registered again."),
    /** A key flagged as possibly cloned is refused until an administrator removes it. */
    DEVICE_FLAGGED_AS_CLONED("The security key is flagged as possibly cloned and is disabled until an"
            + " administrator removes it and it is registered again."),
    /** 7.2 step 18-19: the backup flags contradict the registered credential. */
    BACKUP_FLAGS_INVALID("The backup flags of the security key contradict its registration."),
    /** Any other failed check. */
    VERIFICATION_FAILED("The security key response could not be verified.");

    private final String message;

    CeremonyFailure(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
