package dev.gatekey.mfa.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * The rules for accepting TOTP codes: enablement with two consecutive codes, and sign-in with
 * one code that was never accepted before (RFC 6238 §5.2 and §6).
 */
public final class TotpVerification {
    /**
     * How far (in steps, either way) enablement searches for the pair of codes: ±10 steps of 30 s
     * is ±5 minutes, enough for a phone whose clock is a few minutes off and for the user to type
     * both codes, while 21 candidate positions keep the chance of guessing a pair of 6-digit codes
     * at about 2 × 10^-11. It also bounds the drift a device can carry.
     */
    public static final int ENABLE_WINDOW_STEPS = 10;
    /** RFC 6238 §5.2 recommends at most one step of network delay either way at sign-in. */
    public static final int SIGN_IN_WINDOW_STEPS = 1;

    private TotpVerification() {
    }

    /** What enablement learned: the device's drift and the step of its second code. */
    public record Enablement(int driftSteps, long lastUsedStep) {
    }

    /** The step a sign-in code was accepted at and the drift to record from now on. */
    public record Acceptance(long step, int driftSteps) {
    }

    /**
     * Finds steps T, T+1 within {@link #ENABLE_WINDOW_STEPS} of now whose codes are
     * {@code code1} and {@code code2}. Drift is T+1 minus the current step: the second code
     * is the one the device shows "now" by its own clock. The nearest pair to now wins should
     * two ever match.
     */
    public static Enablement enable(Totp totp, String code1, String code2, Instant now) {
        if (code1.equals(code2)) {
            throw new InvalidAuthenticationCodeException();
        }
        long nowStep = totp.step(now);
        Long found = null;
        for (int distance = 0; distance <= ENABLE_WINDOW_STEPS; distance++) {
            for (long second : distance == 0 ? new long[] {nowStep} : new long[] {nowStep - distance, nowStep + distance}) {
                // Both comparisons run every time: no early exit that would time the first code.
                boolean first = totp.matches(code1, second - 1);
                boolean next = totp.matches(code2, second);
                if (first & next && found == null) {
                    found = second;
                }
            }
        }
        if (found == null) {
            throw new InvalidAuthenticationCodeException();
        }
        return new Enablement(Math.toIntExact(found - nowStep), found);
    }

    /**
     * Accepts {@code code} if it is the code of a step in (now + drift) ± 1 that is later than
     * {@code lastUsedStep}, so each code (and every earlier one) works once. The new drift is
     * where the code was found, kept within the enablement window (RFC 6238 §6).
     */
    public static Optional<Acceptance> signIn(Totp totp, String code, Instant now, int driftSteps,
            long lastUsedStep) {
        long nowStep = totp.step(now);
        long expected = nowStep + driftSteps;
        Long found = null;
        for (long step = expected - SIGN_IN_WINDOW_STEPS; step <= expected + SIGN_IN_WINDOW_STEPS; step++) {
            if (totp.matches(code, step) & step > lastUsedStep && found == null) {
                found = step;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        long drift = Math.max(-ENABLE_WINDOW_STEPS, Math.min(ENABLE_WINDOW_STEPS, found - nowStep));
        return Optional.of(new Acceptance(found, (int) drift));
    }
}
