package dev.gatekey.mfa.domain;

import dev.gatekey.platform.iam.IamNames;
import java.util.regex.Pattern;

/**
 * AWS's {@code SerialNumber} parameter (EnableMFADevice): a virtual device's ARN or a
 * hardware token's serial, printable ASCII.
 */
public final class SerialNumbers {
    /** Longer than AWS's 256 so that every serial this service creates (path up to 512) fits. */
    public static final int MAX_LENGTH = 1024;
    private static final Pattern SERIAL_NUMBER = Pattern.compile("[\\u0021-\\u007E]{9," + MAX_LENGTH + "}");

    private SerialNumbers() {
    }

    public static String require(String serialNumber) {
        if (serialNumber == null || !SERIAL_NUMBER.matcher(serialNumber).matches()) {
            throw IamNames.validationError("serialNumber", serialNumber, "Member must have length between 9 and "
                    + MAX_LENGTH + " and satisfy regular expression pattern: [\\u0021-\\u007E]+");
        }
        return serialNumber;
    }
}
