package dev.gatekey.platform.iam;

import dev.gatekey.platform.error.GatekeyException;
import java.util.regex.Pattern;

/**
 * AWS IAM's constraints on the identifiers every service takes (IAM API reference: the
 * {@code UserName}, {@code PolicyName}, {@code VirtualMFADeviceName} and {@code Path}
 * parameters), the ARNs built from them (IAM identifiers), and AWS's one wording of a
 * ValidationError. Plain Java, so that domain packages may use it.
 */
public final class IamNames {
    /** {@code UserName}: 1 to 64 characters. */
    public static final int USER_NAME_MAX = 64;
    /** {@code PolicyName}: 1 to 128 characters. */
    public static final int POLICY_NAME_MAX = 128;
    /** {@code VirtualMFADeviceName}: 1 to 226 characters. */
    public static final int VIRTUAL_MFA_DEVICE_NAME_MAX = 226;
    /** {@code Path}: 1 to 512 characters. */
    public static final int PATH_MAX = 512;

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    /** Letters, digits and {@code _+=,.@-} (AWS shows it as {@code [\w+=,.@-]+}; ASCII only). */
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    /** A slash alone, or slashes around printable ASCII ({@code !} through {@code ~}). */
    private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");

    private IamNames() {
    }

    /**
     * AWS's ValidationError: {@code 1 validation error detected: Value '<value>' at '<parameter>'
     * failed to satisfy constraint: <constraint>}. A missing value is shown as {@code null}
     * without quotes, as AWS does. Never pass a secret as {@code value}.
     *
     * @param constraint the sentence starting with {@code Member must}
     */
    public static GatekeyException validationError(String parameter, String value, String constraint) {
        String shown = value == null ? "null" : "'" + value + "'";
        return GatekeyException.invalidInput("1 validation error detected: Value " + shown + " at '" + parameter
                + "' failed to satisfy constraint: " + constraint);
    }

    /** An AWS account id: 12 digits. */
    public static String requireAccountId(String accountId) {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw validationError("accountId", accountId,
                    "Member must have length 12 and satisfy regular expression pattern: [0-9]+");
        }
        return accountId;
    }

    /**
     * An IAM name ({@code [\w+=,.@-]+}) of 1 to {@code maxLength} characters, reported as
     * {@code parameter}.
     */
    public static String requireName(String parameter, String name, int maxLength) {
        if (name == null || name.isEmpty() || name.length() > maxLength || !NAME.matcher(name).matches()) {
            throw validationError(parameter, name, "Member must have length between 1 and " + maxLength
                    + " and satisfy regular expression pattern: [\\w+=,.@-]+");
        }
        return name;
    }

    public static String requireUserName(String userName) {
        return requireName("userName", userName, USER_NAME_MAX);
    }

    public static String requirePolicyName(String policyName) {
        return requireName("policyName", policyName, POLICY_NAME_MAX);
    }

    public static String requireVirtualMfaDeviceName(String virtualMfaDeviceName) {
        return requireName("virtualMFADeviceName", virtualMfaDeviceName, VIRTUAL_MFA_DEVICE_NAME_MAX);
    }

    /** The path, {@code /} when null or empty (AWS's default). */
    public static String requirePath(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.length() > PATH_MAX || !PATH.matcher(p).matches()) {
            throw validationError("path", p, "Member must have length between 1 and " + PATH_MAX
                    + " and satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
        }
        return p;
    }

    /** {@code arn:aws:iam::<account>:user<path><name>}. */
    public static String userArn(String accountId, String path, String userName) {
        return "arn:aws:iam::" + accountId + ":user" + path + userName;
    }

    /**
     * A user's ARN where its path is not known (identity-service owns users): the path
     * {@code /}.
     */
    public static String userArn(String accountId, String userName) {
        return userArn(accountId, "/", userName);
    }

    /** {@code arn:aws:iam::<account>:root}, the ARN of the account's root user. */
    public static String rootArn(String accountId) {
        return "arn:aws:iam::" + accountId + ":root";
    }

    /** A virtual MFA device's serial number: {@code arn:aws:iam::<account>:mfa<path><name>}. */
    public static String virtualMfaDeviceSerialNumber(String accountId, String path, String deviceName) {
        return "arn:aws:iam::" + accountId + ":mfa" + path + deviceName;
    }

    /** A customer managed policy's ARN: {@code arn:aws:iam::<account>:policy<path><name>}. */
    public static String policyArn(String accountId, String path, String policyName) {
        return "arn:aws:iam::" + accountId + ":policy" + path + policyName;
    }
}
