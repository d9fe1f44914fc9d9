package dev.gatekey.platform.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The callers of bearer tokens whose signature, issuer and expiry were verified, so that a
 * session's token is verified once rather than on every call (an RSA signature check and JSON
 * parsing cost more than a whole policy decision). Entries are keyed by the SHA-256 of the
 * token's bytes: a token that differs in any byte is a different key and goes through full
 * verification. An entry is served only while {@code now} is before the token's {@code exp}
 * (RFC 7519 §4.1.4: on or after it the token must not be accepted) and is dropped once past it.
 * Only successful verifications are kept. The size is bounded: when full, expired entries go
 * first, then arbitrary ones.
 */
public final class VerifiedTokenCache {
    /** What verification established: the caller and when its token expires. */
    public record Verified(Caller caller, Instant expiresAt) {
    }

    /** Full verification of a token; throws when the token is not acceptable. */
    @FunctionalInterface
    public interface Verifier {
        Verified verify(String token);
    }

    /** SHA-256 of a token as four longs: equality and hashing by value, no array. */
    private record Digest(long a, long b, long c, long d) {
        static Digest of(String token) {
            MessageDigest sha256 = SHA256.get();
            ByteBuffer h = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
            return new Digest(h.getLong(), h.getLong(), h.getLong(), h.getLong());
        }
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    });

    private final int maxEntries;
    private final Map<Digest, Verified> entries = new ConcurrentHashMap<>();

    public VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /**
     * The caller of {@code token}: from the cache while the token is unexpired at {@code now},
     * otherwise from {@code verifier} (whose exception propagates, nothing being kept).
     */
    public Caller caller(String token, Instant now, Verifier verifier) {
        Digest key = Digest.of(token);
        Verified known = entries.get(key);
        if (known != null) {
            // the token comparison is belt and braces: a SHA-256 collision is not expected
            if (now.isBefore(known.expiresAt()) && token.equals(known.caller().token())) {
                return known.caller();
            }
            entries.remove(key, known);
        }
        Verified fresh = verifier.verify(token);
        if (now.isBefore(fresh.expiresAt())) {
            makeRoom(now);
            entries.put(key, fresh);
        }
        return fresh.caller();
    }

    int size() {
        return entries.size();
    }

    /** Below the bound: expired entries first, then arbitrary ones down to 90 % of it. */
    private void makeRoom(Instant now) {
        if (entries.size() < maxEntries) {
            return;
        }
        entries.values().removeIf(v -> !now.isBefore(v.expiresAt()));
        int target = maxEntries - Math.max(1, maxEntries / 10);
        Iterator<Digest> it = entries.keySet().iterator();
        while (entries.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
