package dev.gatekey.platform.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (NIST SP 800-38D) under a ring of keys by id, for secrets kept at rest: a random
 * 96-bit nonce per encryption, a 128-bit tag appended to the ciphertext, and additional
 * authenticated data chosen by the caller (the row's own id, so a ciphertext copied onto another
 * row does not open). New data is sealed under the active key; the other keys stay readable so
 * keys can rotate. Error messages name key ids only, never key material or plaintext.
 */
public final class AesGcmKeyRing {
    /** The nonce length, 96 bits (SP 800-38D §8.2.1). */
    public static final int NONCE_BYTES = 12;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Sealed data: the key id, the nonce, and the ciphertext with its tag appended. */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
        @Override
        public String toString() {
            return "Sealed[keyId=" + keyId + "]";
        }
    }

    /** What went wrong, for callers that word the error in their own terms. */
    public enum Failure {
        NOT_CONFIGURED, MALFORMED_ENTRY, NOT_BASE64, DUPLICATE_KEY_ID, INVALID_KEY_ID, NOT_256_BITS,
        ACTIVE_KEY_NOT_IN_RING, ENCRYPTION_FAILED, UNKNOWN_KEY_ID, NOT_AUTHENTIC, UNREADABLE
    }

    /** A misconfigured ring or data that does not open; the message names key ids at most. */
    public static final class KeyRingException extends IllegalStateException {
        private final Failure failure;
        private final String keyId;

        KeyRingException(Failure failure, String keyId, String message) {
            super(message);
            this.failure = failure;
            this.keyId = keyId;
        }

        public Failure failure() {
            return failure;
        }

        /** The key id concerned, or null. */
        public String keyId() {
            return keyId;
        }
    }

    private final String subject;
    private final Map<String, SecretKey> keys;
    private final String activeKeyId;
    private final SecureRandom random;

    /**
     * @param subject what the ring protects, as its error messages name it (for example "seed":
     *     "Seed key 'k1' is not 256 bits")
     */
    public AesGcmKeyRing(String subject, Map<String, byte[]> keys, String activeKeyId, SecureRandom random) {
        this.subject = subject;
        Map<String, SecretKey> ring = new LinkedHashMap<>();
        String noun = capitalized(subject);
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new KeyRingException(Failure.INVALID_KEY_ID, null, noun + " key ids are 1-64 of [A-Za-z0-9._-]");
            }
            if (key.length != KEY_BYTES) {
                throw new KeyRingException(Failure.NOT_256_BITS, id, noun + " key '" + id + "' is not 256 bits");
            }
            ring.put(id, new SecretKeySpec(key, "AES"));
        });
        if (activeKeyId == null || !ring.containsKey(activeKeyId)) {
            throw new KeyRingException(Failure.ACTIVE_KEY_NOT_IN_RING, activeKeyId,
                    "The active " + subject + " key id '" + activeKeyId + "' is not in the key ring");
        }
        this.keys = Map.copyOf(ring);
        this.activeKeyId = activeKeyId;
        this.random = random;
    }

    /** Parses the configured ring {@code keyId:base64Key[,keyId:base64Key...]}; the active id is trimmed. */
    public static AesGcmKeyRing fromConfiguration(String subject, String keyRing, String activeKeyId,
            SecureRandom random) {
        if (keyRing == null || keyRing.isBlank()) {
            throw new KeyRingException(Failure.NOT_CONFIGURED, null, "No " + subject + " keys are configured");
        }
        String noun = capitalized(subject);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : keyRing.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new KeyRingException(Failure.MALFORMED_ENTRY, null,
                        "A " + subject + " key entry is not of the form keyId:base64Key");
            }
            String id = trimmed.substring(0, colon);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new KeyRingException(Failure.NOT_BASE64, id, noun + " key '" + id + "' is not valid Base64");
            }
            if (keys.put(id, key) != null) {
                throw new KeyRingException(Failure.DUPLICATE_KEY_ID, id, noun + " key id '" + id + "' appears twice");
            }
        }
        return new AesGcmKeyRing(subject, keys, activeKeyId == null ? null : activeKeyId.trim(), random);
    }

    /** The id of the key new data is sealed under. */
    public String activeKeyId() {
        return activeKeyId;
    }

    /** Encrypts {@code plaintext} under the active key with a fresh nonce, binding {@code aad}. */
    public Sealed seal(byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            return new Sealed(activeKeyId, nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            KeyRingException failure = new KeyRingException(Failure.ENCRYPTION_FAILED, activeKeyId,
                    "A " + subject + " could not be encrypted");
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * The plaintext of {@code sealed}, which must have been sealed with the same {@code aad};
     * the caller wipes it after use. Fails if the key id is unknown or anything was altered.
     */
    public byte[] open(Sealed sealed, byte[] aad) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new KeyRingException(Failure.UNKNOWN_KEY_ID, sealed.keyId(),
                    "A " + subject + " is encrypted under unknown key id '" + sealed.keyId() + "'");
        }
        if (sealed.ciphertext().length < TAG_BITS / 8) { // truncated (the JDK would throw a ProviderException)
            throw notAuthentic(sealed.keyId());
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw notAuthentic(sealed.keyId());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyRingException(Failure.UNREADABLE, sealed.keyId(),
                    "A " + subject + " could not be decrypted under key id '" + sealed.keyId() + "'");
        }
    }

    private KeyRingException notAuthentic(String keyId) {
        return new KeyRingException(Failure.NOT_AUTHENTIC, keyId, "A " + subject
                + " failed authentication under key id '" + keyId + "' (altered, or sealed with other AAD)");
    }

    private static String capitalized(String subject) {
        return Character.toUpperCase(subject.charAt(0)) + subject.substring(1);
    }
}
