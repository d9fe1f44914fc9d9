package dev.gatekey.identity.domain;

import dev.gatekey.platform.crypto.AesGcmKeyRing;
import dev.gatekey.platform.crypto.AesGcmKeyRing.Failure;
import dev.gatekey.platform.crypto.AesGcmKeyRing.KeyRingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

/**
 * Encrypts credential secrets at rest (access-key and session secret access keys) with the
 * shared AES-256-GCM key ring, the credential's access key id as additional authenticated data,
 * so a ciphertext copied onto another row does not decrypt. Stored as the key id beside one
 * column {@code nonce || ciphertext || tag}.
 */
public final class SecretCipher {

    /** A secret as stored: the key id and {@code nonce || ciphertext || tag}. */
    public record Sealed(String keyId, byte[] ciphertext) {
        @Override
        public String toString() {
            return "Sealed[keyId=" + keyId + "]";
        }
    }

    private final AesGcmKeyRing keyRing;

    public SecretCipher(Map<String, byte[]> keys, String activeKeyId, SecureRandom random) {
        this(new AesGcmKeyRing("secret", keys, activeKeyId, random));
    }

    private SecretCipher(AesGcmKeyRing keyRing) {
        this.keyRing = keyRing;
    }

    /** The id of the key new secrets are sealed under. */
    public String activeKeyId() {
        return keyRing.activeKeyId();
    }

    /** The key ring {@code keyId:base64Key[,keyId:base64Key...]}; errors name key ids only. */
    public static SecretCipher fromConfiguration(String keyRing, String activeKeyId, SecureRandom random) {
        if (keyRing == null || keyRing.isBlank()) {
            throw new IllegalStateException("No secret keys are configured (GATEKEY_IDENTITY_SECRET_KEYS)");
        }
        return new SecretCipher(AesGcmKeyRing.fromConfiguration("secret", keyRing, activeKeyId, random));
    }

    /** Encrypts {@code secret} of the credential {@code accessKeyId} under the active key. */
    public Sealed seal(byte[] secret, String accessKeyId) {
        AesGcmKeyRing.Sealed sealed = keyRing.seal(secret, aad(accessKeyId));
        return new Sealed(sealed.keyId(), ByteBuffer.allocate(sealed.nonce().length + sealed.ciphertext().length)
                .put(sealed.nonce()).put(sealed.ciphertext()).array());
    }

    /**
     * The plaintext secret of {@code accessKeyId}; the caller wipes it after use. Fails if the
     * key id is unknown or anything was altered.
     */
    public byte[] open(Sealed sealed, String accessKeyId) {
        byte[] data = sealed.ciphertext();
        int split = Math.min(AesGcmKeyRing.NONCE_BYTES, data.length);
        try {
            return keyRing.open(new AesGcmKeyRing.Sealed(sealed.keyId(), Arrays.copyOf(data, split),
                    Arrays.copyOfRange(data, split, data.length)), aad(accessKeyId));
        } catch (KeyRingException e) {
            if (e.failure() == Failure.UNKNOWN_KEY_ID) {
                throw new IllegalStateException("A credential secret is encrypted under unknown key id '"
                        + sealed.keyId() + "'");
            }
            throw new IllegalStateException("A credential secret failed authentication under key id '"
                    + sealed.keyId() + "' (altered, or stored for another credential)");
        }
    }

    private static byte[] aad(String accessKeyId) {
        return accessKeyId.getBytes(StandardCharsets.US_ASCII);
    }
}
