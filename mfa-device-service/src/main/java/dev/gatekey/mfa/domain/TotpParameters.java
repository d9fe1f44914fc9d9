package dev.gatekey.mfa.domain;

import java.util.Objects;

/**
 * How a device computes its codes. Virtual devices use AWS's defaults (SHA-1, 6 digits, 30 s);
 * hardware tokens may need SHA-256/512, 8 digits or 60 s steps.
 */
public record TotpParameters(HmacAlgorithm algorithm, int digits, int periodSeconds) {
    /** What authenticator apps assume when an otpauth URI says nothing else. */
    public static final TotpParameters VIRTUAL_DEVICE = new TotpParameters(HmacAlgorithm.SHA1, 6, 30);

    public TotpParameters {
        Objects.requireNonNull(algorithm, "algorithm");
        if (digits != 6 && digits != 8) {
            throw new IllegalArgumentException("TOTP codes have 6 or 8 digits");
        }
        if (periodSeconds != 30 && periodSeconds != 60) {
            throw new IllegalArgumentException("TOTP steps are 30 or 60 seconds");
        }
    }
}
