package dev.gatekey.policy.persistence;

/** The kinds of principal that own inline policies and attachments here. */
public enum PrincipalType {
    USER("user"), GROUP("group");

    private final String column;

    PrincipalType(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }
}
