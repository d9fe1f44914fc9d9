package dev.gatekey.identity.domain;

import dev.gatekey.platform.error.GatekeyException;
import java.util.regex.Pattern;

/**
 * AWS IAM's constraints on account ids, user names and paths (IAM API reference, CreateUser:
 * {@code UserName} and {@code Path}), and the ARNs built from them (IAM identifiers).
 */
public final class IamNames {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    /** A slash alone, or slashes around printable ASCII ({@code !} through {@code ~}). */
    private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");
    private static final int PATH_MAX = 512;

    private IamNames() {
    }

    public static String requireAccountId(String accountId) {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at 'accountId' failed to"
                    + " satisfy constraint: Member must be 12 digits");
        }
        return accountId;
    }

    public static String requireUserName(String userName) {
        if (userName == null || !USER_NAME.matcher(userName).matches()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at 'userName' failed to"
                    + " satisfy constraint: Member must have length between 1 and 64 and satisfy regular"
                    + " expression pattern: [\\w+=,.@-]+");
        }
        return userName;
    }

    /** The path, {@code /} when null or empty. */
    public static String requirePath(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.length() > PATH_MAX || !PATH.matcher(p).matches()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at 'path' failed to satisfy"
                    + " constraint: Member must have length between 1 and 512 and satisfy regular expression"
                    + " pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
        }
        return p;
    }

    /** {@code arn:aws:iam::<account>:user<path><name>}. */
    public static String userArn(String accountId, String path, String userName) {
        return "arn:aws:iam::" + accountId + ":user" + path + userName;
    }

    /** {@code arn:aws:iam::<account>:root}, the ARN of the account's root user. */
    public static String rootArn(String accountId) {
        return "arn:aws:iam::" + accountId + ":root";
    }
}
