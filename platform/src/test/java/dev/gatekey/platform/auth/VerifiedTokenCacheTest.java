package dev.gatekey.platform.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Instant EXP = NOW.plusSeconds(3600);

    /** A verifier that accepts the tokens it was given and records every token it was asked about. */
    private static final class RecordingVerifier implements VerifiedTokenCache.Verifier {
        final List<String> asked = new ArrayList<>();
        final List<String> good = new ArrayList<>();
        Instant expiresAt = EXP;

        @Override
        public VerifiedTokenCache.Verified verify(String token) {
            asked.add(token);
            if (!good.contains(token)) {
                throw new IllegalArgumentException("bad token");
            }
            return new VerifiedTokenCache.Verified(caller(token), expiresAt);
        }
    }

    private static Caller caller(String token) {
        return new Caller("arn:aws:iam::123456789012:user/alice", PrincipalType.USER, "123456789012", "AIDA1",
                "alice", Optional.of(true), Optional.of(NOW), NOW, token);
    }

    @Test
    void aVerifiedTokenIsServedFromTheCacheUntilItsExpiry() {
        var cache = new VerifiedTokenCache(100);
        var verifier = new RecordingVerifier();
        verifier.good.add("header.claims.signature");

        Caller first = cache.caller("header.claims.signature", NOW, verifier);
        Caller again = cache.caller("header.claims.signature", EXP.minusSeconds(1), verifier);

        assertSame(first, again);
        assertEquals(1, verifier.asked.size());
    }

    @Test
    void atItsExpiryATokenIsVerifiedAgainAndAFailureIsNotMaskedByTheCache() {
        var cache = new VerifiedTokenCache(100);
        var verifier = new RecordingVerifier();
        verifier.good.add("header.claims.signature");
        cache.caller("header.claims.signature", NOW, verifier);

        // the real verifier refuses an expired token: nothing may come from the cache instead
        verifier.good.clear();
        assertThrows(IllegalArgumentException.class, () -> cache.caller("header.claims.signature", EXP, verifier));
        assertThrows(IllegalArgumentException.class,
                () -> cache.caller("header.claims.signature", EXP.plusSeconds(60), verifier));
        assertEquals(3, verifier.asked.size());
        assertEquals(0, cache.size());
    }

    @Test
    void aTokenThatFailsVerificationIsNeverKept() {
        var cache = new VerifiedTokenCache(100);
        var verifier = new RecordingVerifier();

        assertThrows(IllegalArgumentException.class, () -> cache.caller("forged.claims.signature", NOW, verifier));
        assertThrows(IllegalArgumentException.class, () -> cache.caller("forged.claims.signature", NOW, verifier));

        assertEquals(2, verifier.asked.size());
        assertEquals(0, cache.size());
    }

    @Test
    void aTokenDifferingInOneByteFromACachedOneIsVerifiedInFull() {
        var cache = new VerifiedTokenCache(100);
        var verifier = new RecordingVerifier();
        verifier.good.add("header.claims.signature");
        cache.caller("header.claims.signature", NOW, verifier);

        assertThrows(IllegalArgumentException.class, () -> cache.caller("header.claims.signaturf", NOW, verifier));
        assertThrows(IllegalArgumentException.class, () -> cache.caller("Header.claims.signature", NOW, verifier));

        assertEquals(List.of("header.claims.signature", "header.claims.signaturf", "Header.claims.signature"),
                verifier.asked);
    }

    @Test
    void aTokenAlreadyExpiredWhenVerifiedIsNotKept() {
        var cache = new VerifiedTokenCache(100);
        var verifier = new RecordingVerifier();
        verifier.good.add("header.claims.signature");
        verifier.expiresAt = NOW; // accepted within the verifier's clock skew, but past its exp

        cache.caller("header.claims.signature", NOW, verifier);
        cache.caller("header.claims.signature", NOW, verifier);

        assertEquals(2, verifier.asked.size());
        assertEquals(0, cache.size());
    }

    @Test
    void theCacheStaysWithinItsBoundExpiredEntriesGoingFirst() {
        var cache = new VerifiedTokenCache(50);
        var verifier = new RecordingVerifier();
        verifier.expiresAt = NOW.plusSeconds(10);
        for (int i = 0; i < 40; i++) {
            verifier.good.add("short-lived." + i);
            cache.caller("short-lived." + i, NOW, verifier);
        }
        verifier.expiresAt = EXP;
        Instant later = NOW.plusSeconds(20);
        for (int i = 0; i < 500; i++) {
            verifier.good.add("token." + i);
            cache.caller("token." + i, later, verifier);
            assertTrue(cache.size() <= 50, "size " + cache.size());
        }
        // the last token is still served from the cache
        int asked = verifier.asked.size();
        cache.caller("token.499", later, verifier);
        assertEquals(asked, verifier.asked.size());
    }
}
