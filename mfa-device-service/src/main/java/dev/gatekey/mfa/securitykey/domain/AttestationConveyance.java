package dev.gatekey.mfa.securitykey.domain;

import java.util.Locale;

/**
 * The attestation the relying party asks for (WebAuthn L3 5.4.7). Whatever the key sends is
 * verified: a {@code packed}, {@code fido-u2f}, {@code tpm}, {@code android-key} ... statement
 * must be valid even when {@code none} was asked for.
 */
public enum AttestationConveyance {
    NONE("none"),
    DIRECT("direct");

    private final String webAuthnValue;

    AttestationConveyance(String webAuthnValue) {
        this.webAuthnValue = webAuthnValue;
    }

    /** The value of {@code attestation} in the options JSON. */
    public String webAuthnValue() {
        return webAuthnValue;
    }

    /** From configuration or storage: {@code none} or {@code direct}. */
    public static AttestationConveyance parse(String value) {
        for (AttestationConveyance conveyance : values()) {
            if (conveyance.webAuthnValue.equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return conveyance;
            }
        }
        throw new IllegalArgumentException("attestation must be none or direct, not " + value);
    }
}
