package dev.gatekey.identity.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts credential secrets at rest (access-key and session secret access keys) with
 * AES-256-GCM (NIST SP 800-38D): a random 96-bit nonce per encryption, a 128-bit tag, and the
 * credential's access key id as additional authenticated data, so a ciphertext copied onto
 * another row does not decrypt. The key ring holds several keys by id; new secrets use the
 * active one, the others stay readable so keys can rotate.
 */
public final class SecretCipher {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A secret as stored: the key id and {@code nonce || ciphertext || tag}. */
    public record Sealed(String keyId, byte[] ciphertext) {
        @Override
        public String toString() {
            return "Sealed[keyId=" + keyId + "]";
        }
    }

    private final Map<String, SecretKey> keys;
    private final String activeKeyId;
    private final SecureRandom random;

    public SecretCipher(Map<String, byte[]> keys, String activeKeyId, SecureRandom random) {
        Map<String, SecretKey> ring = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException("Secret key ids are 1-64 of [A-Za-z0-9._-]");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException("Secret key '" + id + "' is not 256 bits");
            }
            ring.put(id, new SecretKeySpec(key, "AES"));
        });
        if (activeKeyId == null || !ring.containsKey(activeKeyId)) {
            throw new IllegalStateException("The active secret key id '" + activeKeyId + "' is not in the key ring");
        }
        this.keys = Map.copyOf(ring);
        this.activeKeyId = activeKeyId;
        this.random = random;
    }

    /** The id of the key new secrets are sealed under. */
    public String activeKeyId() {
        return activeKeyId;
    }

    /** The key ring {@code keyId:base64Key[,keyId:base64Key...]}; errors name key ids only. */
    public static SecretCipher fromConfiguration(String keyRing, String activeKeyId, SecureRandom random) {
        if (keyRing == null || keyRing.isBlank()) {
            throw new IllegalStateException("No secret keys are configured (GATEKEY_IDENTITY_SECRET_KEYS)");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : keyRing.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("A secret key entry is not of the form keyId:base64Key");
            }
            String id = trimmed.substring(0, colon);
            try {
                if (keys.put(id, Base64.getDecoder().decode(trimmed.substring(colon + 1).trim())) != null) {
                    throw new IllegalStateException("Secret key id '" + id + "' appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Secret key '" + id + "' is not valid Base64");
            }
        }
        return new SecretCipher(keys, activeKeyId == null ? null : activeKeyId.trim(), random);
    }

    /** Encrypts {@code secret} of the credential {@code accessKeyId} under the active key. */
    public Sealed seal(byte[] secret, String accessKeyId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(accessKeyId.getBytes(StandardCharsets.US_ASCII));
            byte[] ciphertext = cipher.doFinal(secret);
            return new Sealed(activeKeyId, ByteBuffer.allocate(NONCE_BYTES + ciphertext.length).put(nonce)
                    .put(ciphertext).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A secret could not be encrypted", e);
        }
    }

    /**
     * The plaintext secret of {@code accessKeyId}; the caller wipes it after use. Fails if the
     * key id is unknown or anything was altered.
     */
    public byte[] open(Sealed sealed, String accessKeyId) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("A credential secret is encrypted under unknown key id '"
                    + sealed.keyId() + "'");
        }
        byte[] data = sealed.ciphertext();
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(data, NONCE_BYTES)));
            cipher.updateAAD(accessKeyId.getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A credential secret failed authentication under key id '"
                    + sealed.keyId() + "' (altered, or stored for another credential)");
        }
    }
}
