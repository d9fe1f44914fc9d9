package dev.gatekey.mfa.domain;

import dev.gatekey.platform.crypto.AesGcmKeyRing;
import dev.gatekey.platform.crypto.AesGcmKeyRing.KeyRingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Encrypts TOTP seeds at rest with the shared AES-256-GCM key ring, the device's serial number
 * as additional authenticated data so that a ciphertext copied onto another device's row does
 * not decrypt. Stored as {@link EncryptedSeed}: key id, nonce and ciphertext apart.
 */
public final class SeedCipher {
    private final AesGcmKeyRing keyRing;

    public SeedCipher(Map<String, byte[]> keys, String activeKeyId, SecureRandom random) {
        this(configured(() -> new AesGcmKeyRing("seed", keys, activeKeyId, random)));
    }

    private SeedCipher(AesGcmKeyRing keyRing) {
        this.keyRing = keyRing;
    }

    /**
     * Parses the key ring from configuration, {@code keyId:base64Key[,keyId:base64Key...]}.
     * Error messages name key ids only.
     */
    public static SeedCipher fromConfiguration(String keyRing, String activeKeyId, SecureRandom random) {
        return new SeedCipher(configured(() -> AesGcmKeyRing.fromConfiguration("seed", keyRing, activeKeyId, random)));
    }

    private static AesGcmKeyRing configured(Supplier<AesGcmKeyRing> keyRing) {
        try {
            return keyRing.get();
        } catch (KeyRingException e) {
            throw new SeedProtectionException(e.getMessage());
        }
    }

    public String activeKeyId() {
        return keyRing.activeKeyId();
    }

    /** Encrypts {@code seed} for the device {@code serialNumber} under the active key. */
    public EncryptedSeed encrypt(byte[] seed, String serialNumber) {
        try {
            AesGcmKeyRing.Sealed sealed = keyRing.seal(seed, aad(serialNumber));
            return new EncryptedSeed(sealed.keyId(), sealed.nonce(), sealed.ciphertext());
        } catch (KeyRingException e) {
            throw new SeedProtectionException(e.getMessage(), e.getCause());
        }
    }

    /** Decrypts the seed of device {@code serialNumber}; fails if anything was altered. */
    public byte[] decrypt(EncryptedSeed sealed, String serialNumber) {
        try {
            return keyRing.open(new AesGcmKeyRing.Sealed(sealed.keyId(), sealed.nonce(), sealed.ciphertext()),
                    aad(serialNumber));
        } catch (KeyRingException e) {
            String keyId = "key id '" + sealed.keyId() + "'";
            throw new SeedProtectionException(switch (e.failure()) {
                case UNKNOWN_KEY_ID -> "The seed of an MFA device is encrypted under unknown " + keyId;
                case NOT_AUTHENTIC -> "The seed of an MFA device failed authentication under " + keyId
                        + " (altered, or stored for another device)";
                default -> "The seed of an MFA device could not be decrypted under " + keyId;
            });
        }
    }

    private static byte[] aad(String serialNumber) {
        return serialNumber.getBytes(StandardCharsets.UTF_8);
    }
}
