package dev.gatekey.mfa.securitykey.domain;

import java.util.Locale;

/**
 * The relying party's user-verification requirement (WebAuthn L3 5.8.6): whether the key must
 * check a PIN or biometric. {@code REQUIRED} also makes the server refuse responses without
 * the UV flag (7.1 step 15, 7.2 step 17); the others only ask.
 */
public enum UserVerificationPolicy {
    REQUIRED("required"),
    PREFERRED("preferred"),
    DISCOURAGED("discouraged");

    private final String webAuthnValue;

    UserVerificationPolicy(String webAuthnValue) {
        this.webAuthnValue = webAuthnValue;
    }

    /** The value of {@code userVerification} in the options JSON. */
    public String webAuthnValue() {
        return webAuthnValue;
    }

    public boolean required() {
        return this == REQUIRED;
    }

    /** From configuration or storage: {@code required}, {@code preferred} or {@code discouraged}. */
    public static UserVerificationPolicy parse(String value) {
        for (UserVerificationPolicy policy : values()) {
            if (policy.webAuthnValue.equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("user verification must be required, preferred or discouraged, not "
                + value);
    }
}
