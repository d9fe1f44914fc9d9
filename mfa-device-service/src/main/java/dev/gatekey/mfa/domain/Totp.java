package dev.gatekey.mfa.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * A TOTP generator for one seed, RFC 6238 §4: HOTP with the counter T = floor((now - T0) / X),
 * T0 = 0 (the Unix epoch). Steps are the unit in which drift and replay are tracked.
 */
public final class Totp {
    private final byte[] key;
    private final TotpParameters parameters;

    public Totp(byte[] key, TotpParameters parameters) {
        this.key = Objects.requireNonNull(key).clone();
        this.parameters = Objects.requireNonNull(parameters);
    }

    public TotpParameters parameters() {
        return parameters;
    }

    /** The time step containing {@code time} (RFC 6238 §4.2; floor division also before 1970). */
    public long step(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), parameters.periodSeconds());
    }

    /** The code the device shows during {@code step}. */
    public String code(long step) {
        return Hotp.code(key, step, parameters.digits(), parameters.algorithm());
    }

    /** The code the device shows at {@code time}. */
    public String codeAt(Instant time) {
        return code(step(time));
    }

    /** Whether {@code candidate} is the code of {@code step}, compared in constant time. */
    public boolean matches(String candidate, long step) {
        byte[] expected = code(step).getBytes(StandardCharsets.US_ASCII);
        byte[] given = candidate.getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
