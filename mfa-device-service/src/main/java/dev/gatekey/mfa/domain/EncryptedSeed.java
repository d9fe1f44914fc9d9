package dev.gatekey.mfa.domain;

import java.util.Objects;

/**
 * A seed as stored: AES-256-GCM ciphertext (with its 128-bit tag appended), the 96-bit nonce,
 * and the id of the key in the key ring that encrypted it.
 */
public record EncryptedSeed(String keyId, byte[] nonce, byte[] ciphertext) {
    public EncryptedSeed {
        Objects.requireNonNull(keyId, "keyId");
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public String toString() {
        return "EncryptedSeed[keyId=" + keyId + "]";
    }
}
