package dev.gatekey.identity.domain;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (unpadded standard Base64).
 *
 * <p>New hashes use OWASP's recommended minimum (m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte
 * hash). Verification reads the parameters back from the stored string, so they can be raised
 * later without invalidating existing hashes, and compares in constant time.
 */
public final class Argon2idPasswordHasher {
    /** OWASP Password Storage Cheat Sheet, Argon2id: 19 MiB of memory, 2 iterations, 1 lane. */
    public static final Parameters OWASP = new Parameters(19456, 2, 1);
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$";

    private final Parameters parameters;
    private final SecureRandom random;
    /** A hash of a random password: verifying against it costs what a real verification costs. */
    private final String dummyHash;

    public Argon2idPasswordHasher() {
        this(OWASP, new SecureRandom());
    }

    public Argon2idPasswordHasher(Parameters parameters, SecureRandom random) {
        this.parameters = parameters;
        this.random = random;
        byte[] unguessable = new byte[32];
        random.nextBytes(unguessable);
        this.dummyHash = hash(java.util.HexFormat.of().formatHex(unguessable));
    }

    /** Argon2id cost parameters as RFC 9106 names them: memory (KiB), passes, lanes. */
    public record Parameters(int memoryKib, int iterations, int parallelism) {
        public Parameters {
            if (parallelism < 1 || parallelism > 255 || iterations < 1 || memoryKib < 8 * parallelism) {
                throw new IllegalArgumentException("Invalid Argon2id parameters m=" + memoryKib + ",t="
                        + iterations + ",p=" + parallelism);
            }
        }
    }

    /** Hashes a password with a fresh random salt; returns the PHC string to store. */
    public String hash(CharSequence password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] secret = utf8(password);
        try {
            byte[] hash = argon2id(secret, salt, parameters, null, null, HASH_BYTES);
            return format(parameters, salt, hash);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Whether {@code password} matches the stored PHC string, compared in constant time.
     *
     * @throws IllegalArgumentException when the stored string is not an Argon2id v19 PHC string
     */
    public boolean verify(CharSequence password, String stored) {
        Phc phc = Phc.parse(stored);
        byte[] secret = utf8(password);
        try {
            byte[] actual = argon2id(secret, phc.salt(), phc.parameters(), null, null, phc.hash().length);
            return MessageDigest.isEqual(actual, phc.hash());
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Spends the time of one verification and returns false: used when there is no stored hash
     * (unknown user, no login profile) so that the response time does not reveal that.
     */
    public boolean verifyAgainstDummy(CharSequence password) {
        verify(password, dummyHash);
        return false;
    }

    /** Whether a stored hash was made with weaker parameters than new hashes get. */
    public boolean needsRehash(String stored) {
        return !Phc.parse(stored).parameters().equals(parameters);
    }

    /**
     * Raw Argon2id (version 0x13) as RFC 9106 §3 defines it, with the optional secret K and
     * associated data X.
     */
    public static byte[] argon2id(byte[] password, byte[] salt, Parameters p, byte[] secret,
            byte[] associatedData, int tagLength) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKib())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (associatedData != null) {
            builder.withAdditional(associatedData);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] tag = new byte[tagLength];
        generator.generateBytes(password, tag);
        return tag;
    }

    static String format(Parameters p, byte[] salt, byte[] hash) {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
        return PREFIX + "m=" + p.memoryKib() + ",t=" + p.iterations() + ",p=" + p.parallelism()
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] utf8(CharSequence password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    /** A parsed PHC string. */
    record Phc(Parameters parameters, byte[] salt, byte[] hash) {
        private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile(
                "\\$argon2id\\$v=19\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");

        static Phc parse(String stored) {
            java.util.regex.Matcher m = stored == null ? null : FORMAT.matcher(stored);
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("Not an Argon2id v19 PHC string");
            }
            try {
                Parameters parameters = new Parameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                java.util.Base64.Decoder b64 = java.util.Base64.getDecoder();
                return new Phc(parameters, b64.decode(m.group(4)), b64.decode(m.group(5)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Not an Argon2id v19 PHC string", e);
            }
        }
    }
}
