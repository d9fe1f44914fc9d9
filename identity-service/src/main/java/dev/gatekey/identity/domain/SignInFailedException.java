package dev.gatekey.identity.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/**
 * A sign-in whose principal or password is wrong. One message for every cause (unknown user
 * or e-mail, wrong password, no login profile), as the AWS console gives, so the answer does
 * not reveal which users exist.
 */
public class SignInFailedException extends GatekeyException {
    public static final String CODE = "SignInFailed";
    public static final String MESSAGE = "Your authentication information is incorrect. Please try again.";

    public SignInFailedException() {
        super(CODE, ErrorKind.UNAUTHENTICATED, MESSAGE);
    }
}
