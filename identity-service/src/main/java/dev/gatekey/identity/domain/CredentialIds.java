package dev.gatekey.identity.domain;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Identifiers and secrets of AWS credentials (IAM User Guide, "IAM identifiers": access keys
 * start {@code AKIA}, temporary credentials {@code ASIA}; 20 characters of upper-case letters
 * and the digits 2-7). Secret access keys are 40 characters of Base64 (30 random bytes);
 * session tokens are 96 random bytes in Base64.
 */
public final class CredentialIds {
    public static final String ACCESS_KEY_PREFIX = "AKIA";
    public static final String SESSION_KEY_PREFIX = "ASIA";
    public static final String GROUP_PREFIX = "AGPA";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final SecureRandom random;

    public CredentialIds(SecureRandom random) {
        this.random = random;
    }

    /** {@code AKIA} and 16 random Base32 characters. */
    public String newAccessKeyId() {
        return ACCESS_KEY_PREFIX + randomOf(BASE32, 16);
    }

    /** {@code ASIA} and 16 random Base32 characters. */
    public String newSessionAccessKeyId() {
        return SESSION_KEY_PREFIX + randomOf(BASE32, 16);
    }

    /** {@code AGPA} and 17 random upper-case alphanumerics, as user ids. */
    public String newGroupId() {
        return GROUP_PREFIX + randomOf(ALPHANUMERIC, 17);
    }

    /** 40 characters: the Base64 of 30 random bytes. */
    public String newSecretAccessKey() {
        byte[] bytes = new byte[30];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The Base64 of 96 random bytes (128 characters). */
    public String newSessionToken() {
        byte[] bytes = new byte[96];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private String randomOf(String alphabet, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
