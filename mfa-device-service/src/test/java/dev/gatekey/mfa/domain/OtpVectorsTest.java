package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 4226 Appendix D and RFC 6238 Appendix B, from the shared vectors file. */
class OtpVectorsTest {
    private static JsonNode vectors;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OtpVectorsTest.class.getResourceAsStream("/otp-vectors.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void rfc4226AppendixDHotpValues() {
        JsonNode hotp = vectors.get("hotp");
        byte[] secret = hotp.get("secret_ascii").asText().getBytes(StandardCharsets.US_ASCII);
        int digits = hotp.get("digits").asInt();
        JsonNode codes = hotp.get("codes_by_counter");
        assertEquals(10, codes.size());
        for (int counter = 0; counter < codes.size(); counter++) {
            assertEquals(codes.get(counter).asText(), Hotp.code(secret, counter, digits, HmacAlgorithm.SHA1),
                    "HOTP counter " + counter);
        }
    }

    @Test
    void rfc6238AppendixBTotpValuesForEveryAlgorithm() {
        JsonNode totp = vectors.get("totp");
        assertEquals(0, totp.get("t0").asInt());
        int digits = totp.get("digits").asInt();
        int step = totp.get("step_seconds").asInt();
        int checked = 0;
        for (HmacAlgorithm algorithm : HmacAlgorithm.values()) {
            byte[] secret = totp.get("secrets_ascii").get(algorithm.name()).asText().getBytes(StandardCharsets.US_ASCII);
            Totp generator = new Totp(secret, new TotpParameters(algorithm, digits, step));
            for (JsonNode c : totp.get("cases")) {
                Instant time = Instant.ofEpochSecond(c.get("unix_time").asLong());
                assertEquals(c.get(algorithm.name()).asText(), generator.codeAt(time), algorithm + " at " + time);
                checked++;
            }
        }
        assertEquals(18, checked);
    }

    @Test
    void rfc6238StepCounterMatchesAppendixBHexColumn() {
        Totp totp = new Totp(new byte[20], TotpParameters.VIRTUAL_DEVICE);
        // RFC 6238 Appendix B: T = 0x00000000023523EC at 1111111109.
        assertEquals(0x23523ECL, totp.step(Instant.ofEpochSecond(1111111109)));
        assertEquals(1L, totp.step(Instant.ofEpochSecond(59)));
    }

    @Test
    void matchesComparesTheWholeCode() {
        Totp totp = new Totp("12345678901234567890".getBytes(StandardCharsets.US_ASCII),
                new TotpParameters(HmacAlgorithm.SHA1, 8, 30));
        long step = totp.step(Instant.ofEpochSecond(59));
        assertEquals(true, totp.matches("94287082", step));
        assertEquals(false, totp.matches("9428708", step));
        assertEquals(false, totp.matches("942870820", step));
        assertEquals(false, totp.matches("94287083", step));
    }
}
