package dev.gatekey.mfa.securitykey.domain;

/**
 * An assertion that passed the authentication ceremony, with what the credential record must
 * be updated to (WebAuthn L3 7.2 step 24).
 *
 * @param signCount the counter the key reported (store it)
 * @param backupState the BS flag now (store it)
 * @param userVerified the UV flag of this assertion
 */
public record VerifiedAssertion(byte[] credentialId, long signCount, boolean backupState, boolean userVerified) {

    public VerifiedAssertion {
        credentialId = credentialId.clone();
    }

    @Override
    public byte[] credentialId() {
        return credentialId.clone();
    }
}
