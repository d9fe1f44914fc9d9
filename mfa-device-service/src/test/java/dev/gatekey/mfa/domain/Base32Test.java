package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Base32Test {

    /** RFC 4648 §10 test vectors, with the padding authenticator apps do not use removed. */
    @Test
    void rfc4648Section10Vectors() {
        String[][] cases = {
            {"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
            {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
        };
        for (String[] c : cases) {
            byte[] raw = c[0].getBytes(StandardCharsets.US_ASCII);
            assertEquals(c[1], Base32.encode(raw), c[0]);
            assertArrayEquals(raw, Base32.decode(c[1]), c[1]);
        }
    }

    @Test
    void decodesPaddedAndLowerCaseInput() {
        assertArrayEquals("foobar".getBytes(StandardCharsets.US_ASCII), Base32.decode("MZXW6YTBOI======"));
        assertArrayEquals("foobar".getBytes(StandardCharsets.US_ASCII), Base32.decode("mzxw6ytboi"));
    }

    @Test
    void aVirtualDeviceSeedIs32CharactersOfTheAlphabet() {
        byte[] seed = new byte[NewVirtualMfaDevice.SEED_BYTES];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 100; i++) {
            random.nextBytes(seed);
            String encoded = Base32.encode(seed);
            assertEquals(32, encoded.length());
            assertEquals(true, encoded.matches("[A-Z2-7]{32}"));
            assertArrayEquals(seed, Base32.decode(encoded));
        }
    }

    @Test
    void rejectsInvalidInputWithoutEchoingIt() {
        var bad = assertThrows(IllegalArgumentException.class, () -> Base32.decode("MZXW6YT1"));
        assertFalse(bad.getMessage().contains("MZXW6YT1"));
        assertThrows(IllegalArgumentException.class, () -> Base32.decode("MZXW6Y")); // 6 chars: impossible
        assertThrows(IllegalArgumentException.class, () -> Base32.decode("MZ")); // 'Z' leaves non-zero bits
    }
}
