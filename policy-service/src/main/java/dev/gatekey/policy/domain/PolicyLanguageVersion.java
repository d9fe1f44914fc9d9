package dev.gatekey.policy.domain;

import java.util.Optional;

/** The Version element. Policy variables are substituted only under 2012-10-17. */
public enum PolicyLanguageVersion {
    V2012_10_17("2012-10-17"),
    /** The original language version, and the default when a document has no Version element. */
    V2008_10_17("2008-10-17");

    private final String text;

    PolicyLanguageVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean supportsPolicyVariables() {
        return this == V2012_10_17;
    }

    public static Optional<PolicyLanguageVersion> fromText(String text) {
        for (PolicyLanguageVersion v : values()) {
            if (v.text.equals(text)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
