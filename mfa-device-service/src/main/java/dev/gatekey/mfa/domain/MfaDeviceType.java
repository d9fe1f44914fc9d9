package dev.gatekey.mfa.domain;

/** The kinds of MFA device AWS knows. */
public enum MfaDeviceType {
    /** An authenticator app holding a seed this service generated. */
    VIRTUAL,
    /** A hardware TOTP token whose seed is imported with its printed serial number. */
    HARDWARE_TOTP,
    /** A FIDO2 security key (WebAuthn credential); no seed. */
    SECURITY_KEY
}
