package dev.gatekey.mfa.securitykey.domain;

import dev.gatekey.platform.iam.IamNames;
import java.security.SecureRandom;

/**
 * Serial numbers of security keys as AWS gives them:
 * {@code arn:aws:iam::<account>:u2f/user/<userName>/<deviceName>-<suffix>} for an IAM user's key
 * and {@code arn:aws:iam::<account>:u2f/root/<deviceName>-<suffix>} for the root user's (AWS
 * GetMFADevice example {@code u2f/root/testFidoKey-R1234}), the suffix 26 random upper-case
 * letters and digits (AWS's example: {@code fidosecuritykey-7XNL7NFNLZ123456789EXAMPLE}).
 */
public final class SecurityKeySerialNumbers {
    /** Device names of security keys: AWS's console allows 1-64 of {@code [\w+=,.@-]}. */
    public static final int DEVICE_NAME_MAX = 64;
    static final int SUFFIX_LENGTH = 26;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private SecurityKeySerialNumbers() {
    }

    public static String requireDeviceName(String deviceName) {
        return IamNames.requireName("deviceName", deviceName, DEVICE_NAME_MAX);
    }

    /** A new serial for {@code deviceName} of IAM user {@code userName}. */
    public static String generate(String accountId, String userName, String deviceName, SecureRandom random) {
        return withSuffix(new StringBuilder("arn:aws:iam::").append(accountId).append(":u2f/user/")
                .append(userName).append('/').append(deviceName).append('-'), random);
    }

    /** A new serial for the root user's key {@code deviceName}. */
    public static String generateForRoot(String accountId, String deviceName, SecureRandom random) {
        return withSuffix(new StringBuilder("arn:aws:iam::").append(accountId).append(":u2f/root/")
                .append(deviceName).append('-'), random);
    }

    private static String withSuffix(StringBuilder serial, SecureRandom random) {
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            serial.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return serial.toString();
    }
}
