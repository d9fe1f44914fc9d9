package dev.gatekey.mfa.securitykey.domain;

import dev.gatekey.platform.iam.IamNames;
import java.security.SecureRandom;

/**
 * Serial numbers of security keys as AWS gives them:
 * {@code arn:aws:iam::<account>:u2f/user/<userName>/<deviceName>-<suffix>}, the suffix 26
 * random upper-case letters and digits (AWS's example: {@code fidosecuritykey-7XNL7NFNLZ123456789EXAMPLE}).
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

    /** A new serial for {@code deviceName} of {@code userName}. */
    public static String generate(String accountId, String userName, String deviceName, SecureRandom random) {
        StringBuilder serial = new StringBuilder("arn:aws:iam::").append(accountId).append(":u2f/user/")
                .append(userName).append('/').append(deviceName).append('-');
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            serial.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return serial.toString();
    }
}
