package dev.gatekey.identity.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/** AWS's {@code PasswordPolicyViolation}: the password does not satisfy the password policy. */
public class PasswordPolicyViolationException extends GatekeyException {

    public PasswordPolicyViolationException(String message) {
        super("PasswordPolicyViolation", ErrorKind.INVALID_INPUT, message);
    }
}
