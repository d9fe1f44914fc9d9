package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/**
 * AWS's {@code InvalidAuthenticationCode}: a code is wrong, replayed, outside the window, or the
 * device is not the user's. One message for all, so a caller learns nothing about which.
 */
public class InvalidAuthenticationCodeException extends GatekeyException {

    public InvalidAuthenticationCodeException() {
        super("InvalidAuthenticationCode", ErrorKind.UNAUTHENTICATED, "Authentication code for device is not valid.");
    }
}
