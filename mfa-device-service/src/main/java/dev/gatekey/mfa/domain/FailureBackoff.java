package dev.gatekey.mfa.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Exponential back-off after consecutive failed codes (NIST SP 800-63B §5.2.2 rate limiting):
 * the first {@code freeAttempts} failures cost nothing (typing mistakes), after that each
 * failure doubles the wait before the next code is considered, up to {@code maxDelay}; at
 * {@code lockAfter} consecutive failures a device locks until an admin unlocks it.
 *
 * <p>The counters live in PostgreSQL and are advanced with compare-and-set updates, so this
 * class only decides; it never counts.
 */
public record FailureBackoff(int freeAttempts, Duration maxDelay, int lockAfter) {
    /** For a device: 5 free failures, at most 15 minutes between codes, locked at 100. */
    public static final FailureBackoff DEVICE = new FailureBackoff(5, Duration.ofMinutes(15), 100);
    /** For a user over all its devices: 10 free failures, same curve, never locks. */
    public static final FailureBackoff USER = new FailureBackoff(10, Duration.ofMinutes(15), Integer.MAX_VALUE);

    public FailureBackoff {
        if (freeAttempts < 0 || maxDelay.isNegative() || lockAfter < 1) {
            throw new IllegalArgumentException("Invalid back-off");
        }
    }

    /** The wait after {@code consecutiveFailures} failures: zero, then 1 s, 2 s, 4 s, ... up to the maximum. */
    public Duration delayAfter(int consecutiveFailures) {
        if (consecutiveFailures < freeAttempts) {
            return Duration.ZERO;
        }
        int exponent = consecutiveFailures - freeAttempts;
        if (exponent >= 62) {
            return maxDelay;
        }
        Duration delay = Duration.ofSeconds(1L << exponent);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** When the next code may be considered; empty when it may be now. */
    public Optional<Instant> nextAttemptAt(int consecutiveFailures, Instant lastFailedAt, Instant now) {
        Duration delay = delayAfter(consecutiveFailures);
        // a free failure costs no wait, even one recorded by a request that read the clock later
        if (lastFailedAt == null || delay.isZero()) {
            return Optional.empty();
        }
        Instant next = lastFailedAt.plus(delay);
        return next.isAfter(now) ? Optional.of(next) : Optional.empty();
    }

    /** Whether {@code consecutiveFailures} failures lock the device. */
    public boolean locks(int consecutiveFailures) {
        return consecutiveFailures >= lockAfter;
    }
}
