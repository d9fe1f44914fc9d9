package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureBackoffTest {
    private final FailureBackoff device = FailureBackoff.DEVICE;

    @Test
    void freeFailuresThenDoublingUpToTheMaximum() {
        for (int n = 0; n < 5; n++) {
            assertEquals(Duration.ZERO, device.delayAfter(n));
        }
        assertEquals(Duration.ofSeconds(1), device.delayAfter(5));
        assertEquals(Duration.ofSeconds(2), device.delayAfter(6));
        assertEquals(Duration.ofSeconds(512), device.delayAfter(14));
        assertEquals(Duration.ofMinutes(15), device.delayAfter(15));
        assertEquals(Duration.ofMinutes(15), device.delayAfter(99));
        assertEquals(Duration.ofMinutes(15), device.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void nextAttemptIsAfterTheDelay() {
        Instant failed = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Optional.empty(), device.nextAttemptAt(4, failed, failed));
        assertEquals(Optional.empty(), device.nextAttemptAt(4, failed, failed.minusMillis(5)),
                "a free failure recorded by a request with a later clock reading costs no wait");
        assertEquals(Optional.of(failed.plusSeconds(4)), device.nextAttemptAt(7, failed, failed.plusSeconds(3)));
        assertEquals(Optional.empty(), device.nextAttemptAt(7, failed, failed.plusSeconds(4)));
        assertEquals(Optional.empty(), device.nextAttemptAt(50, null, failed));
    }

    @Test
    void aDeviceLocksAtOneHundredConsecutiveFailuresAUserNever() {
        assertFalse(device.locks(99));
        assertTrue(device.locks(100));
        assertFalse(FailureBackoff.USER.locks(1_000_000));
    }
}
