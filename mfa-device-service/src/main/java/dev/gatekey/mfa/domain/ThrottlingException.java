package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import java.util.Map;

/**
 * AWS's {@code Throttling}: the code was not considered because of the back-off after failed
 * codes (or a concurrent attempt on the same device). Metadata {@code retryAfterSeconds}.
 */
public class ThrottlingException extends GatekeyException {
    public static final String CODE = "Throttling";

    public ThrottlingException(long retryAfterSeconds) {
        super(CODE, ErrorKind.LIMIT_EXCEEDED, "Rate exceeded: too many failed authentication codes; "
                + "retry after " + retryAfterSeconds + " seconds.",
                Map.of("retryAfterSeconds", Long.toString(retryAfterSeconds)));
    }
}
