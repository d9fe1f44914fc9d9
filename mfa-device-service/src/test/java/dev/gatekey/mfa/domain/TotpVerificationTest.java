package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpVerificationTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:10Z");
    private final Totp totp = newTotp();
    private final long now = totp.step(NOW);

    private static Totp newTotp() {
        byte[] seed = new byte[20];
        new SecureRandom().nextBytes(seed);
        return new Totp(seed, TotpParameters.VIRTUAL_DEVICE);
    }

    @Test
    void enablementWithTheCurrentAndPreviousCodeHasNoDrift() {
        var e = TotpVerification.enable(totp, totp.code(now - 1), totp.code(now), NOW);
        assertEquals(0, e.driftSteps());
        assertEquals(now, e.lastUsedStep());
    }

    @Test
    void enablementRecordsTheDriftOfASlowOrFastClock() {
        var behind = TotpVerification.enable(totp, totp.code(now - 8), totp.code(now - 7), NOW);
        assertEquals(-7, behind.driftSteps());
        assertEquals(now - 7, behind.lastUsedStep());
        var ahead = TotpVerification.enable(totp, totp.code(now + 9), totp.code(now + 10), NOW);
        assertEquals(10, ahead.driftSteps());
    }

    @Test
    void enablementOutsideTheWindowIsRejected() {
        assertThrows(InvalidAuthenticationCodeException.class,
                () -> TotpVerification.enable(totp, totp.code(now + 10), totp.code(now + 11), NOW));
        assertThrows(InvalidAuthenticationCodeException.class,
                () -> TotpVerification.enable(totp, totp.code(now - 12), totp.code(now - 11), NOW));
    }

    @Test
    void enablementNeedsConsecutiveCodesInOrder() {
        assertThrows(InvalidAuthenticationCodeException.class,
                () -> TotpVerification.enable(totp, totp.code(now - 2), totp.code(now), NOW));
        assertThrows(InvalidAuthenticationCodeException.class,
                () -> TotpVerification.enable(totp, totp.code(now), totp.code(now - 1), NOW));
        assertThrows(InvalidAuthenticationCodeException.class,
                () -> TotpVerification.enable(totp, totp.code(now), totp.code(now), NOW));
        var e = assertThrows(InvalidAuthenticationCodeException.class,
                () -> TotpVerification.enable(totp, "000000", "000000", NOW));
        assertEquals("InvalidAuthenticationCode", e.code());
    }

    @Test
    void signInAcceptsAdjacentStepsAroundTheDrift() {
        for (long step = now - 1; step <= now + 1; step++) {
            var accepted = TotpVerification.signIn(totp, totp.code(step), NOW, 0, now - 5);
            assertTrue(accepted.isPresent(), "step " + (step - now));
            assertEquals(step, accepted.get().step());
            assertEquals((int) (step - now), accepted.get().driftSteps());
        }
        assertTrue(TotpVerification.signIn(totp, totp.code(now - 2), NOW, 0, now - 5).isEmpty());
        assertTrue(TotpVerification.signIn(totp, totp.code(now + 2), NOW, 0, now - 5).isEmpty());
        // a device 5 steps behind, known from enablement
        assertEquals(now - 6, TotpVerification.signIn(totp, totp.code(now - 6), NOW, -5, now - 10).get().step());
    }

    @Test
    void aCodeIsAcceptedOnlyOnceAndNeverAnEarlierOne() {
        var first = TotpVerification.signIn(totp, totp.code(now), NOW, 0, now - 1).orElseThrow();
        long lastUsed = first.step();
        assertTrue(TotpVerification.signIn(totp, totp.code(now), NOW, 0, lastUsed).isEmpty(), "replay");
        assertTrue(TotpVerification.signIn(totp, totp.code(now - 1), NOW, 0, lastUsed).isEmpty(), "earlier code");
        assertTrue(TotpVerification.signIn(totp, totp.code(now + 1), NOW, 0, lastUsed).isPresent(), "next code");
    }

    @Test
    void theCodeOfTheEnablementCannotSignIn() {
        var e = TotpVerification.enable(totp, totp.code(now - 1), totp.code(now), NOW);
        assertTrue(TotpVerification.signIn(totp, totp.code(now), NOW, e.driftSteps(), e.lastUsedStep()).isEmpty());
    }

    @Test
    void wrongCodesAreRejected() {
        String right = totp.code(now);
        String wrong = String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000);
        assertTrue(TotpVerification.signIn(totp, wrong, NOW, 0, Long.MIN_VALUE).isEmpty());
    }
}
