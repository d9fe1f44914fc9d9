package dev.gatekey.mfa.domain;

/** The HMAC functions RFC 6238 §1.2 allows for TOTP; SHA-1 is the default (RFC 4226). */
public enum HmacAlgorithm {
    SHA1("HmacSHA1"),
    SHA256("HmacSHA256"),
    SHA512("HmacSHA512");

    private final String jcaName;

    HmacAlgorithm(String jcaName) {
        this.jcaName = jcaName;
    }

    /** The JCA {@code Mac} algorithm name. */
    public String jcaName() {
        return jcaName;
    }
}
