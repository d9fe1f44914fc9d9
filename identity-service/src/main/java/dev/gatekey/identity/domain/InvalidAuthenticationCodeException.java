package dev.gatekey.identity.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/** AWS's {@code InvalidAuthenticationCode}: the MFA code was wrong, replayed or not for that device. */
public class InvalidAuthenticationCodeException extends GatekeyException {
    public static final String MESSAGE = "The MFA code is invalid or has already been used.";

    public InvalidAuthenticationCodeException() {
        super("InvalidAuthenticationCode", ErrorKind.UNAUTHENTICATED, MESSAGE);
    }
}
