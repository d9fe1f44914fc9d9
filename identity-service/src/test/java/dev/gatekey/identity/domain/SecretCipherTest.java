package dev.gatekey.identity.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The stored form of a credential secret: key id beside {@code nonce || ciphertext || tag}. */
class SecretCipherTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String KEY_RING = "2024-01:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // bytes 00..1f
    private static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.US_ASCII);
    // Sealed by the release before the key ring moved to platform, nonce 000102..0b; the same bytes
    // come out of any AES-256-GCM with the access key id as AAD.
    private static final byte[] STORED = HEX.parseHex("000102030405060708090a0b"
            + "3048b777b7bd976fe307d2c6f8c6335ace92c27ab7543d2c403583ec5e3045ea405dfeb0ea8a57c1"
            + "466fbfe790bfcda0d1189e934762351e");

    private static SecureRandom fixed(byte[] nonce) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(nonce, 0, bytes, 0, bytes.length);
            }
        };
    }

    @Test
    void opensSecretsStoredByEarlierReleases() {
        SecretCipher cipher = SecretCipher.fromConfiguration(KEY_RING, "2024-01", new SecureRandom());
        assertArrayEquals(SECRET, cipher.open(new SecretCipher.Sealed("2024-01", STORED), ACCESS_KEY_ID));
    }

    @Test
    void sealsInTheSameStoredForm() {
        SecretCipher cipher = SecretCipher.fromConfiguration(KEY_RING, "2024-01",
                fixed(Arrays.copyOf(STORED, 12)));
        SecretCipher.Sealed sealed = cipher.seal(SECRET, ACCESS_KEY_ID);
        assertEquals("2024-01", sealed.keyId());
        assertArrayEquals(STORED, sealed.ciphertext());
    }

    @Test
    void failuresKeepTheirWordingAndNameNoSecret() {
        SecretCipher cipher = SecretCipher.fromConfiguration(KEY_RING, "2024-01", new SecureRandom());
        var unknown = assertThrows(IllegalStateException.class,
                () -> cipher.open(new SecretCipher.Sealed("2023-12", STORED), ACCESS_KEY_ID));
        assertEquals("A credential secret is encrypted under unknown key id '2023-12'", unknown.getMessage());
        String altered = "A credential secret failed authentication under key id '2024-01'"
                + " (altered, or stored for another credential)";
        var otherCredential = assertThrows(IllegalStateException.class,
                () -> cipher.open(new SecretCipher.Sealed("2024-01", STORED), "AKIAI44QH8DHBEXAMPLE"));
        assertEquals(altered, otherCredential.getMessage());
        var truncated = assertThrows(IllegalStateException.class,
                () -> cipher.open(new SecretCipher.Sealed("2024-01", Arrays.copyOf(STORED, 8)), ACCESS_KEY_ID));
        assertEquals(altered, truncated.getMessage());
        var none = assertThrows(IllegalStateException.class,
                () -> SecretCipher.fromConfiguration(" ", "2024-01", new SecureRandom()));
        assertEquals("No secret keys are configured (GATEKEY_IDENTITY_SECRET_KEYS)", none.getMessage());
        var inactive = assertThrows(IllegalStateException.class,
                () -> SecretCipher.fromConfiguration(KEY_RING, "2025-01", new SecureRandom()));
        assertEquals("The active secret key id '2025-01' is not in the key ring", inactive.getMessage());
    }
}
