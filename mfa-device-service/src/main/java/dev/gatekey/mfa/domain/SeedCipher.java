package dev.gatekey.mfa.domain;

import java.nio.charset.StandardCharsets;
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
 * Encrypts TOTP seeds at rest with AES-256-GCM (NIST SP 800-38D): a random 96-bit nonce per
 * encryption, a 128-bit tag, and the device's serial number as additional authenticated data
 * so that a ciphertext copied onto another device's row does not decrypt. The key ring holds
 * several keys by id; new seeds use the active one, the others stay readable for rotation.
 */
public final class SeedCipher {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, SecretKey> keys;
    private final String activeKeyId;
    private final SecureRandom random;

    public SeedCipher(Map<String, byte[]> keys, String activeKeyId, SecureRandom random) {
        Map<String, SecretKey> ring = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new SeedProtectionException("Seed key ids are 1-64 of [A-Za-z0-9._-]");
            }
            if (key.length != KEY_BYTES) {
                throw new SeedProtectionException("Seed key '" + id + "' is not 256 bits");
            }
            ring.put(id, new SecretKeySpec(key, "AES"));
        });
        if (activeKeyId == null || !ring.containsKey(activeKeyId)) {
            throw new SeedProtectionException("The active seed key id '" + activeKeyId + "' is not in the key ring");
        }
        this.keys = Map.copyOf(ring);
        this.activeKeyId = activeKeyId;
        this.random = random;
    }

    /**
     * Parses the key ring from configuration, {@code keyId:base64Key[,keyId:base64Key...]}.
     * Error messages name key ids only.
     */
    public static SeedCipher fromConfiguration(String keyRing, String activeKeyId, SecureRandom random) {
        if (keyRing == null || keyRing.isBlank()) {
            throw new SeedProtectionException("No seed keys are configured");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : keyRing.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new SeedProtectionException("A seed key entry is not of the form keyId:base64Key");
            }
            String id = trimmed.substring(0, colon);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new SeedProtectionException("Seed key '" + id + "' is not valid Base64");
            }
            if (keys.put(id, key) != null) {
                throw new SeedProtectionException("Seed key id '" + id + "' appears twice");
            }
        }
        return new SeedCipher(keys, activeKeyId == null ? null : activeKeyId.trim(), random);
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** Encrypts {@code seed} for the device {@code serialNumber} under the active key. */
    public EncryptedSeed encrypt(byte[] seed, String serialNumber) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(serialNumber.getBytes(StandardCharsets.UTF_8));
            return new EncryptedSeed(activeKeyId, nonce, cipher.doFinal(seed));
        } catch (GeneralSecurityException e) {
            throw new SeedProtectionException("A seed could not be encrypted", e);
        }
    }

    /** Decrypts the seed of device {@code serialNumber}; fails if anything was altered. */
    public byte[] decrypt(EncryptedSeed sealed, String serialNumber) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new SeedProtectionException("The seed of an MFA device is encrypted under unknown key id '"
                    + sealed.keyId() + "'");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(serialNumber.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new SeedProtectionException("The seed of an MFA device failed authentication under key id '"
                    + sealed.keyId() + "' (altered, or stored for another device)");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SeedProtectionException("The seed of an MFA device could not be decrypted under key id '"
                    + sealed.keyId() + "'");
        }
    }
}
