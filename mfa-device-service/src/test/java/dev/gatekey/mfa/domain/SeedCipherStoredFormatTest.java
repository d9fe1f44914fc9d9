package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The stored form of a seed: key id, nonce and ciphertext-with-tag in separate columns. */
class SeedCipherStoredFormatTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String KEY_RING = "2024-01:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // bytes 00..1f
    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice-phone";
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII); // RFC 6238
    // Encrypted by the release before the key ring moved to platform; the same bytes come out of
    // any AES-256-GCM with the serial number as AAD.
    private static final byte[] NONCE = HEX.parseHex("0c0d0e0f1011121314151617");
    private static final byte[] CIPHERTEXT = HEX.parseHex(
            "a9cc5aec4a40cb6b0e1a79e7a2bf13d1623bd4de950a48faa7a965abd4a8c8a8a720a2be");

    @Test
    void decryptsSeedsStoredByEarlierReleases() {
        SeedCipher cipher = SeedCipher.fromConfiguration(KEY_RING, "2024-01", new SecureRandom());
        assertArrayEquals(SEED, cipher.decrypt(new EncryptedSeed("2024-01", NONCE, CIPHERTEXT), SERIAL));
    }

    @Test
    void encryptsInTheSameStoredForm() {
        SecureRandom fixedNonce = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(NONCE, 0, bytes, 0, bytes.length);
            }
        };
        EncryptedSeed sealed = SeedCipher.fromConfiguration(KEY_RING, "2024-01", fixedNonce).encrypt(SEED, SERIAL);
        assertEquals("2024-01", sealed.keyId());
        assertArrayEquals(NONCE, sealed.nonce());
        assertArrayEquals(CIPHERTEXT, sealed.ciphertext());
    }

    @Test
    void failuresKeepTheirWording() {
        SeedCipher cipher = SeedCipher.fromConfiguration(KEY_RING, "2024-01", new SecureRandom());
        var otherDevice = assertThrows(SeedProtectionException.class,
                () -> cipher.decrypt(new EncryptedSeed("2024-01", NONCE, CIPHERTEXT), SERIAL + "2"));
        assertEquals("The seed of an MFA device failed authentication under key id '2024-01'"
                + " (altered, or stored for another device)", otherDevice.getMessage());
        var noNonce = assertThrows(SeedProtectionException.class,
                () -> cipher.decrypt(new EncryptedSeed("2024-01", new byte[0], CIPHERTEXT), SERIAL));
        assertEquals("The seed of an MFA device could not be decrypted under key id '2024-01'", noNonce.getMessage());
        var unknown = assertThrows(SeedProtectionException.class,
                () -> cipher.decrypt(new EncryptedSeed("old", NONCE, CIPHERTEXT), SERIAL));
        assertEquals("The seed of an MFA device is encrypted under unknown key id 'old'", unknown.getMessage());
        var none = assertThrows(SeedProtectionException.class,
                () -> SeedCipher.fromConfiguration("", "2024-01", new SecureRandom()));
        assertEquals("No seed keys are configured", none.getMessage());
        assertEquals("ServiceFailure", none.code());
    }
}
