package dev.gatekey.identity.domain;

import java.security.SecureRandom;

/**
 * IAM unique ids (IAM User Guide, "IAM identifiers", unique identifiers): a four-letter prefix
 * naming the kind of entity, then random upper-case letters and digits. They are never reused,
 * unlike names, so a user re-created under the same name is a different principal.
 */
public final class UniqueIds {
    /** The prefix AWS gives IAM users' ids. */
    public static final String USER_PREFIX = "AIDA";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int RANDOM_CHARACTERS = 17;

    private final SecureRandom random;

    public UniqueIds(SecureRandom random) {
        this.random = random;
    }

    /** A new user id: {@code AIDA} and 17 random upper-case alphanumerics (21 characters). */
    public String newUserId() {
        StringBuilder id = new StringBuilder(USER_PREFIX);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
