package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;

/**
 * A stored seed cannot be decrypted (unknown key id, wrong key, tampered ciphertext) or the key
 * ring is misconfigured. An operator problem, reported as an internal error; the message names
 * the key id and the device at most, never key material or the seed.
 */
public class SeedProtectionException extends GatekeyException {

    public SeedProtectionException(String message) {
        super("ServiceFailure", ErrorKind.INTERNAL, message);
    }

    public SeedProtectionException(String message, Throwable cause) {
        this(message);
        initCause(cause);
    }
}
