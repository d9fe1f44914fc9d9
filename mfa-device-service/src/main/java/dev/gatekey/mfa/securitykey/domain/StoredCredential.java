package dev.gatekey.mfa.securitykey.domain;

import java.util.Set;
import java.util.UUID;

/**
 * A registered WebAuthn credential record (WebAuthn L3 4, "credential record"): what an
 * assertion is verified against.
 *
 * @param publicKeyCose the credential public key, a CBOR COSE_Key
 * @param signCount the last signature counter seen
 * @param uvInitialized whether the key verified the user at registration
 * @param possiblyCloned set after a counter that did not increase; such a key is refused
 */
public record StoredCredential(
        byte[] credentialId,
        byte[] publicKeyCose,
        UUID aaguid,
        long signCount,
        Set<String> transports,
        boolean backupEligible,
        boolean backupState,
        boolean uvInitialized,
        String attestationFormat,
        boolean possiblyCloned) {

    public StoredCredential {
        credentialId = credentialId.clone();
        publicKeyCose = publicKeyCose.clone();
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
}
