package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SeedCipherTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice-phone";
    private static final String OTHER_SERIAL = "arn:aws:iam::123456789012:mfa/bob-phone";

    private static String key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static byte[] seed() {
        byte[] s = new byte[20];
        RANDOM.nextBytes(s);
        return s;
    }

    @Test
    void roundTripUnderTheActiveKeyWithFreshNonces() {
        SeedCipher cipher = SeedCipher.fromConfiguration("k1:" + key(), "k1", RANDOM);
        byte[] seed = seed();
        EncryptedSeed a = cipher.encrypt(seed, SERIAL);
        EncryptedSeed b = cipher.encrypt(seed, SERIAL);
        assertEquals("k1", a.keyId());
        assertEquals(12, a.nonce().length);
        assertEquals(seed.length + 16, a.ciphertext().length); // 128-bit tag appended
        assertFalse(Arrays.equals(a.nonce(), b.nonce()));
        assertFalse(Arrays.equals(a.ciphertext(), b.ciphertext()));
        assertFalse(Arrays.equals(seed, Arrays.copyOf(a.ciphertext(), seed.length)));
        assertArrayEquals(seed, cipher.decrypt(a, SERIAL));
        assertArrayEquals(seed, cipher.decrypt(b, SERIAL));
    }

    @Test
    void tamperedCiphertextNonceOrTagIsRejected() {
        SeedCipher cipher = SeedCipher.fromConfiguration("k1:" + key(), "k1", RANDOM);
        byte[] seed = seed();
        EncryptedSeed sealed = cipher.encrypt(seed, SERIAL);
        byte[] ct = sealed.ciphertext();
        for (int i : new int[] {0, ct.length - 1}) { // first seed byte, last tag byte
            byte[] altered = ct.clone();
            altered[i] ^= 1;
            var e = assertThrows(SeedProtectionException.class,
                    () -> cipher.decrypt(new EncryptedSeed("k1", sealed.nonce(), altered), SERIAL));
            assertEquals("ServiceFailure", e.code());
            assertFalse(e.getMessage().contains(Base32.encode(seed)));
        }
        byte[] nonce = sealed.nonce();
        nonce[0] ^= 1;
        assertThrows(SeedProtectionException.class, () -> cipher.decrypt(new EncryptedSeed("k1", nonce, ct), SERIAL));
    }

    @Test
    void ciphertextOfAnotherDeviceDoesNotDecrypt() {
        SeedCipher cipher = SeedCipher.fromConfiguration("k1:" + key(), "k1", RANDOM);
        EncryptedSeed sealed = cipher.encrypt(seed(), SERIAL);
        var e = assertThrows(SeedProtectionException.class, () -> cipher.decrypt(sealed, OTHER_SERIAL));
        assertEquals(true, e.getMessage().contains("k1"));
    }

    @Test
    void olderKeysStayReadableAfterRotation() {
        String oldKey = key();
        SeedCipher before = SeedCipher.fromConfiguration("old:" + oldKey, "old", RANDOM);
        byte[] seed = seed();
        EncryptedSeed sealedBefore = before.encrypt(seed, SERIAL);

        SeedCipher after = SeedCipher.fromConfiguration("old:" + oldKey + ", new:" + key(), "new", RANDOM);
        assertArrayEquals(seed, after.decrypt(sealedBefore, SERIAL));
        EncryptedSeed sealedAfter = after.encrypt(seed, SERIAL);
        assertEquals("new", sealedAfter.keyId());
        assertArrayEquals(seed, after.decrypt(sealedAfter, SERIAL));
    }

    @Test
    void unknownKeyIdIsAClearErrorWithoutSecrets() {
        String k = key();
        SeedCipher other = SeedCipher.fromConfiguration("gone:" + key(), "gone", RANDOM);
        byte[] seed = seed();
        EncryptedSeed sealed = other.encrypt(seed, SERIAL);
        SeedCipher cipher = SeedCipher.fromConfiguration("k1:" + k, "k1", RANDOM);
        var e = assertThrows(SeedProtectionException.class, () -> cipher.decrypt(sealed, SERIAL));
        assertEquals(true, e.getMessage().contains("unknown key id 'gone'"), e.getMessage());
        assertFalse(e.getMessage().contains(k));
        assertFalse(e.getMessage().contains(Base32.encode(seed)));
    }

    @Test
    void keyRingConfigurationErrorsNameNoKeyMaterial() {
        String k = key();
        assertThrows(SeedProtectionException.class, () -> SeedCipher.fromConfiguration("", "k1", RANDOM));
        assertThrows(SeedProtectionException.class, () -> SeedCipher.fromConfiguration("k1:" + k, "k2", RANDOM));
        assertThrows(SeedProtectionException.class, () -> SeedCipher.fromConfiguration("k1:" + k + ",k1:" + k, "k1", RANDOM));
        var shortKey = assertThrows(SeedProtectionException.class,
                () -> SeedCipher.fromConfiguration("k1:AAAAAAAAAAAAAAAAAAAAAA==", "k1", RANDOM));
        assertEquals(true, shortKey.getMessage().contains("256 bits"));
        var noColon = assertThrows(SeedProtectionException.class, () -> SeedCipher.fromConfiguration(k, "k1", RANDOM));
        assertFalse(noColon.getMessage().contains(k));
        assertNotEquals(null, SeedCipher.fromConfiguration("k1:" + k, " k1 ", RANDOM).activeKeyId());
    }
}
