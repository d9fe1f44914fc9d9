package dev.gatekey.identity.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2idPasswordHasherTest {
    private final Argon2idPasswordHasher hasher = new Argon2idPasswordHasher();

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** RFC 9106 §5.3: Argon2id, m=32 KiB, t=3, p=4, with secret and associated data. */
    @Test
    void rfc9106Section5_3Argon2idTestVector() {
        byte[] tag = Argon2idPasswordHasher.argon2id(filled(32, 0x01), filled(16, 0x02),
                new Argon2idPasswordHasher.Parameters(32, 3, 4), filled(8, 0x03), filled(12, 0x04), 32);
        assertArrayEquals(HexFormat.of().parseHex(
                "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"), tag);
    }

    /** PHC strings made by the reference implementation's CLI ({@code argon2 ... -id -e}) verify. */
    @Test
    void verifiesPhcStringsOfTheReferenceImplementation() {
        // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e
        assertTrue(hasher.verify("password",
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"));
        // echo -n password | argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -l 32 -e (OWASP parameters)
        String owasp = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$K13EBUiG7JV+9ZxztmHFTdb7J0WQsnj2V8bZaqyPptE";
        assertTrue(hasher.verify("password", owasp));
        assertFalse(hasher.verify("Password", owasp));
        assertFalse(hasher.needsRehash(owasp));
    }

    @Test
    void hashesInThePhcFormatWithOwaspParametersAndARandomSalt() {
        String hash = hasher.hash("Correct-Horse-9");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        String[] parts = hash.split("\\$");
        assertEquals(16, Base64.getDecoder().decode(parts[4]).length, "16-byte salt");
        assertEquals(32, Base64.getDecoder().decode(parts[5]).length, "32-byte hash");
        assertFalse(parts[4].contains("=") || parts[5].contains("="), "PHC Base64 has no padding");
        assertNotEquals(hash, hasher.hash("Correct-Horse-9"), "a fresh salt each time");
    }

    @Test
    void roundTrips() {
        for (String password : new String[] {"Correct-Horse-9", "pässwörd-ÜNICODE-1", "x", ""}) {
            String hash = hasher.hash(password);
            assertTrue(hasher.verify(password, hash), password);
            assertFalse(hasher.verify(password + " ", hash), password);
        }
    }

    @Test
    void readsTheParametersBackFromTheStoredString() {
        var weak = new Argon2idPasswordHasher(new Argon2idPasswordHasher.Parameters(64, 1, 2), new SecureRandom());
        String old = weak.hash("Correct-Horse-9");
        assertTrue(old.startsWith("$argon2id$v=19$m=64,t=1,p=2$"), old);
        assertTrue(hasher.verify("Correct-Horse-9", old), "a hash with other parameters still verifies");
        assertTrue(hasher.needsRehash(old));
    }

    @Test
    void theDummyVerificationNeverSucceeds() {
        assertFalse(hasher.verifyAgainstDummy("anything"));
    }

    @Test
    void rejectsStringsThatAreNotArgon2idVersion19() {
        for (String bad : new String[] {
                null, "", "plaintext",
                "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                "$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
                "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFh*dXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"}) {
            assertThrows(IllegalArgumentException.class, () -> hasher.verify("password", bad), String.valueOf(bad));
        }
    }
}
