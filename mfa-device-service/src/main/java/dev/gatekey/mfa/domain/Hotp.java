package dev.gatekey.mfa.domain;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HOTP, RFC 4226 §5: HMAC over the 8-byte big-endian counter, dynamic truncation, modulo 10^digits. */
public final class Hotp {
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000};

    private Hotp() {
    }

    /** The {@code digits}-digit code for {@code counter}, left-padded with zeros. */
    public static String code(byte[] key, long counter, int digits, HmacAlgorithm algorithm) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("HOTP codes have 6 to 8 digits");
        }
        byte[] hash = hmac(key, counter, algorithm);
        // RFC 4226 §5.3 dynamic truncation: the low 4 bits of the last byte select the offset.
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        String code = Integer.toString(binary % POWERS_OF_TEN[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    private static byte[] hmac(byte[] key, long counter, HmacAlgorithm algorithm) {
        try {
            Mac mac = Mac.getInstance(algorithm.jcaName());
            mac.init(new SecretKeySpec(key, algorithm.jcaName()));
            return mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks " + algorithm.jcaName(), e);
        }
    }
}
