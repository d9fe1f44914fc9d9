package dev.gatekey.platform.auth;

/** The kind of principal a token identifies, with the value AWS gives {@code aws:PrincipalType}. */
public enum PrincipalType {
    /** An account's root user. */
    ROOT("Account"),
    /** An IAM user. */
    USER("User"),
    /** A Gatekey service calling another on its own behalf (never seen by policies). */
    SERVICE("GatekeyService");

    private final String awsValue;

    PrincipalType(String awsValue) {
        this.awsValue = awsValue;
    }

    public String awsValue() {
        return awsValue;
    }

    public static PrincipalType fromAwsValue(String value) {
        for (PrincipalType type : values()) {
            if (type.awsValue.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown principal type " + value);
    }
}
