package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/** A PSKC document that cannot be imported. The message never carries key material. */
public class PskcException extends GatekeyException {
    public PskcException(String message) {
        super("InvalidInput", ErrorKind.INVALID_INPUT, "PSKC document rejected: " + message);
    }
}
