package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.platform.error.GatekeyException;
import org.junit.jupiter.api.Test;

class SerialNumbersTest {

    @Test
    void serialNumbersAreNineTo1024PrintableAsciiCharacters() {
        for (String ok : new String[] {"arn:aws:iam::123456789012:mfa/alice", "GAHT12345", "x".repeat(1024),
                "arn:aws:iam::123456789012:mfa/" + "p".repeat(512) + "/" + "d".repeat(226)}) {
            assertEquals(ok, SerialNumbers.require(ok));
        }
        for (String bad : new String[] {"", "GAHT1234", "x".repeat(1025), "arn:aws:iam::123456789012:mfa/a b",
                "arn:aws:iam::123456789012:mfa/é", null}) {
            GatekeyException e = assertThrows(GatekeyException.class, () -> SerialNumbers.require(bad));
            assertEquals("ValidationError", e.code());
        }
        assertEquals("1 validation error detected: Value 'GAHT1234' at 'serialNumber' failed to satisfy constraint:"
                + " Member must have length between 9 and 1024 and satisfy regular expression pattern:"
                + " [\\u0021-\\u007E]+",
                assertThrows(GatekeyException.class, () -> SerialNumbers.require("GAHT1234")).getMessage());
    }
}
