package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/** The device saw too many consecutive failed codes; only an admin's UnlockMFADevice reopens it. */
public class MfaDeviceLockedException extends GatekeyException {
    public static final String CODE = "MFADeviceLocked";

    public MfaDeviceLockedException() {
        super(CODE, ErrorKind.CONFLICT, "The MFA device is locked after too many failed authentication codes; "
                + "an administrator must unlock it.");
    }
}
