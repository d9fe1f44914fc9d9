package dev.gatekey.mfa.securitykey.domain;

import java.util.Set;
import java.util.UUID;

/**
 * A credential that passed the registration ceremony (WebAuthn L3 7.1 step 27: what the
 * relying party stores).
 *
 * @param attestationObject the attestation object as received, for later audit
 * @param userVerified the UV flag at registration (the credential record's uvInitialized)
 */
public record RegisteredCredential(
        byte[] credentialId,
        byte[] publicKeyCose,
        UUID aaguid,
        long signCount,
        Set<String> transports,
        boolean backupEligible,
        boolean backupState,
        boolean userVerified,
        String attestationFormat,
        byte[] attestationObject) {

    public RegisteredCredential {
        credentialId = credentialId.clone();
        publicKeyCose = publicKeyCose.clone();
        attestationObject = attestationObject.clone();
        transports = Set.copyOf(transports);
    }

    @Override
    public byte[] credentialId() {
        return credentialId.clone();
    }

    @Override
    public byte[] publicKeyCose() {
        return publicKeyCose.clone();
    }

    @Override
    public byte[] attestationObject() {
        return attestationObject.clone();
    }
}
