package dev.gatekey.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.crypto.AesGcmKeyRing.Failure;
import dev.gatekey.platform.crypto.AesGcmKeyRing.KeyRingException;
import dev.gatekey.platform.crypto.AesGcmKeyRing.Sealed;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AesGcmKeyRingTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] AAD = "row-1".getBytes(StandardCharsets.UTF_8);

    // The Galois/Counter Mode of Operation (McGrew & Viega, the GCM submission to NIST), Test Case 16:
    // AES-256, 96-bit IV, 60-byte plaintext, 20 bytes of additional authenticated data.
    private static final byte[] TC16_KEY = HEX.parseHex(
            "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    private static final byte[] TC16_IV = HEX.parseHex("cafebabefacedbaddecaf888");
    private static final byte[] TC16_AAD = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static final byte[] TC16_PLAINTEXT = HEX.parseHex("d9313225f88406e5a55909c5aff5269a"
            + "86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    private static final byte[] TC16_CIPHERTEXT_AND_TAG = HEX.parseHex("522dc1f099567d07f47f37a32a84427d"
            + "643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
            + "76fc6ece0f4e1768cddf8853bb2d551b");

    /** Hands out the given bytes as the "random" nonce, to reproduce a published vector. */
    private static SecureRandom fixed(byte[] nonce) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(nonce, 0, bytes, 0, bytes.length);
            }
        };
    }

    private static String key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static AesGcmKeyRing ring(String keyRing, String active) {
        return AesGcmKeyRing.fromConfiguration("secret", keyRing, active, RANDOM);
    }

    @Test
    void sealReproducesGcmTestCase16() {
        var ring = new AesGcmKeyRing("secret", Map.of("nist", TC16_KEY), "nist", fixed(TC16_IV));
        Sealed sealed = ring.seal(TC16_PLAINTEXT, TC16_AAD);
        assertEquals("nist", sealed.keyId());
        assertArrayEquals(TC16_IV, sealed.nonce());
        assertArrayEquals(TC16_CIPHERTEXT_AND_TAG, sealed.ciphertext());
    }

    @Test
    void openRecoversGcmTestCase16Plaintext() {
        var ring = new AesGcmKeyRing("secret", Map.of("nist", TC16_KEY), "nist", RANDOM);
        assertArrayEquals(TC16_PLAINTEXT, ring.open(new Sealed("nist", TC16_IV, TC16_CIPHERTEXT_AND_TAG), TC16_AAD));
    }

    @Test
    void freshNonceAndTagOnEverySeal() {
        AesGcmKeyRing ring = ring("k1:" + key(), "k1");
        byte[] plaintext = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.US_ASCII);
        Sealed a = ring.seal(plaintext, AAD);
        Sealed b = ring.seal(plaintext, AAD);
        assertEquals(12, a.nonce().length);
        assertEquals(plaintext.length + 16, a.ciphertext().length);
        assertFalse(Arrays.equals(a.nonce(), b.nonce()));
        assertFalse(Arrays.equals(a.ciphertext(), b.ciphertext()));
        assertArrayEquals(plaintext, ring.open(a, AAD));
        assertArrayEquals(plaintext, ring.open(b, AAD));
    }

    @Test
    void alteredCiphertextTagOrNonceIsRejected() {
        var ring = new AesGcmKeyRing("secret", Map.of("nist", TC16_KEY), "nist", RANDOM);
        for (int i : new int[] {0, TC16_CIPHERTEXT_AND_TAG.length - 1}) { // first ciphertext byte, last tag byte
            byte[] altered = TC16_CIPHERTEXT_AND_TAG.clone();
            altered[i] ^= 1;
            var e = assertThrows(KeyRingException.class,
                    () -> ring.open(new Sealed("nist", TC16_IV, altered), TC16_AAD));
            assertEquals(Failure.NOT_AUTHENTIC, e.failure());
            assertEquals("nist", e.keyId());
        }
        byte[] nonce = TC16_IV.clone();
        nonce[11] ^= 1;
        var e = assertThrows(KeyRingException.class,
                () -> ring.open(new Sealed("nist", nonce, TC16_CIPHERTEXT_AND_TAG), TC16_AAD));
        assertEquals(Failure.NOT_AUTHENTIC, e.failure());
        var empty = assertThrows(KeyRingException.class,
                () -> ring.open(new Sealed("nist", new byte[0], TC16_CIPHERTEXT_AND_TAG), TC16_AAD));
        assertEquals(Failure.UNREADABLE, empty.failure());
        for (int length : new int[] {0, 15}) { // shorter than the 128-bit tag
            byte[] truncated = Arrays.copyOf(TC16_CIPHERTEXT_AND_TAG, length);
            var e2 = assertThrows(KeyRingException.class,
                    () -> ring.open(new Sealed("nist", TC16_IV, truncated), TC16_AAD));
            assertEquals(Failure.NOT_AUTHENTIC, e2.failure());
        }
    }

    @Test
    void wrongAadIsRejected() {
        var ring = new AesGcmKeyRing("secret", Map.of("nist", TC16_KEY), "nist", RANDOM);
        byte[] otherAad = TC16_AAD.clone();
        otherAad[0] ^= 1;
        var e = assertThrows(KeyRingException.class,
                () -> ring.open(new Sealed("nist", TC16_IV, TC16_CIPHERTEXT_AND_TAG), otherAad));
        assertEquals(Failure.NOT_AUTHENTIC, e.failure());
        assertTrue(e.getMessage().contains("'nist'"), e.getMessage());
    }

    @Test
    void unknownKeyIdNamesTheIdAndNoKeyMaterial() {
        String k = key();
        Sealed sealed = ring("gone:" + key(), "gone").seal(new byte[20], AAD);
        var e = assertThrows(KeyRingException.class, () -> ring("k1:" + k, "k1").open(sealed, AAD));
        assertEquals(Failure.UNKNOWN_KEY_ID, e.failure());
        assertEquals("gone", e.keyId());
        assertEquals("A secret is encrypted under unknown key id 'gone'", e.getMessage());
        assertFalse(e.getMessage().contains(k));
    }

    @Test
    void olderKeysStayReadableAfterRotation() {
        String oldKey = key();
        byte[] plaintext = new byte[20];
        RANDOM.nextBytes(plaintext);
        Sealed before = ring("old:" + oldKey, "old").seal(plaintext, AAD);
        AesGcmKeyRing after = ring("old:" + oldKey + ", new:" + key(), " new ");
        assertEquals("new", after.activeKeyId());
        assertArrayEquals(plaintext, after.open(before, AAD));
        assertEquals("new", after.seal(plaintext, AAD).keyId());
    }

    @Test
    void badKeyRingsAreClearErrorsThatNameNoKeyMaterial() {
        String k = key();
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertFailure(Failure.NOT_CONFIGURED, "No secret keys are configured", " ", "k1");
        assertFailure(Failure.NOT_CONFIGURED, "No secret keys are configured", null, "k1");
        assertFailure(Failure.MALFORMED_ENTRY, "A secret key entry is not of the form keyId:base64Key", k, "k1");
        assertFailure(Failure.MALFORMED_ENTRY, "A secret key entry is not of the form keyId:base64Key", ":" + k, "k1");
        assertFailure(Failure.NOT_BASE64, "Secret key 'k1' is not valid Base64", "k1:not*base64", "k1");
        assertFailure(Failure.DUPLICATE_KEY_ID, "Secret key id 'k1' appears twice", "k1:" + k + ",k1:" + k, "k1");
        assertFailure(Failure.INVALID_KEY_ID, "Secret key ids are 1-64 of [A-Za-z0-9._-]", "k 1:" + k, "k 1");
        assertFailure(Failure.NOT_256_BITS, "Secret key 'k1' is not 256 bits", "k1:" + shortKey, "k1");
        assertFailure(Failure.ACTIVE_KEY_NOT_IN_RING, "The active secret key id 'k2' is not in the key ring",
                "k1:" + k, "k2");
        assertFailure(Failure.ACTIVE_KEY_NOT_IN_RING, "The active secret key id 'null' is not in the key ring",
                "k1:" + k, null);
    }

    private static void assertFailure(Failure failure, String message, String keyRing, String active) {
        var e = assertThrows(KeyRingException.class, () -> ring(keyRing, active));
        assertEquals(failure, e.failure());
        assertEquals(message, e.getMessage());
        if (keyRing != null && keyRing.contains(":")) {
            assertFalse(e.getMessage().contains(keyRing.substring(keyRing.indexOf(':') + 1)), e.getMessage());
        }
    }
}
