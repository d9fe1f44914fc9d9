package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.GatekeyException;
import java.util.regex.Pattern;

/**
 * AWS IAM's input constraints for the names and paths this service takes (IAM API reference,
 * CreateVirtualMFADevice and EnableMFADevice parameters), and the ARNs built from them.
 */
public final class IamNames {
    private static final Pattern DEVICE_NAME = Pattern.compile("[\\w+=,.@-]{1,226}");
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");
    private static final int PATH_MAX = 512;
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern SERIAL_NUMBER = Pattern.compile("[\\u0021-\\u007E]{9,1024}");

    // Longer than AWS's 256 so that every serial this service creates (path up to 512) fits.

    private IamNames() {
    }

    public static String requireDeviceName(String name) {
        if (name == null || !DEVICE_NAME.matcher(name).matches()) {
            throw GatekeyException.invalidInput(
                    "1 validation error detected: Value at 'virtualMFADeviceName' failed to satisfy constraint: "
                            + "Member must have length between 1 and 226 and match [\\w+=,.@-]+");
        }
        return name;
    }

    /** The path, {@code /} when empty. */
    public static String requirePath(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.length() > PATH_MAX || !PATH.matcher(p).matches()) {
            throw GatekeyException.invalidInput(
                    "1 validation error detected: Value at 'path' failed to satisfy constraint: "
                            + "Member must have length between 1 and 512 and begin and end with /");
        }
        return p;
    }

    public static String requireUserName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            throw GatekeyException.invalidInput(
                    "1 validation error detected: Value at 'userName' failed to satisfy constraint: "
                            + "Member must have length between 1 and 64 and match [\\w+=,.@-]+");
        }
        return name;
    }

    public static String requireSerialNumber(String serialNumber) {
        if (serialNumber == null || !SERIAL_NUMBER.matcher(serialNumber).matches()) {
            throw GatekeyException.invalidInput(
                    "1 validation error detected: Value at 'serialNumber' failed to satisfy constraint: "
                            + "Member must have length between 9 and 1024 printable ASCII characters");
        }
        return serialNumber;
    }

    public static String requireAccountId(String accountId) {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw GatekeyException.invalidInput("The account id must be 12 digits.");
        }
        return accountId;
    }

    /** AWS's serial number of a virtual device: {@code arn:aws:iam::<account>:mfa<path><name>}. */
    public static String virtualDeviceSerialNumber(String accountId, String path, String name) {
        return "arn:aws:iam::" + accountId + ":mfa" + path + name;
    }

    /** A user's ARN when its path is not known here (identity-service owns users). */
    public static String userArn(String accountId, String userName) {
        return "arn:aws:iam::" + accountId + ":user/" + userName;
    }
}
