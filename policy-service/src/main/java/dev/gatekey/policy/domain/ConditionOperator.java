package dev.gatekey.policy.domain;

import java.util.Optional;

/**
 * A condition operator as written: a base operator, an optional {@code ForAnyValue:} /
 * {@code ForAllValues:} set qualifier and an optional {@code IfExists} suffix
 * (IAM User Guide, "IAM JSON policy elements: Condition operators").
 */
public record ConditionOperator(String name, Base base, SetQualifier qualifier, boolean ifExists) {

    /** How the values of a multi-valued context key are combined. */
    public enum SetQualifier {
        /** No prefix: the key is treated as single-valued. */
        NONE,
        /** {@code ForAnyValue:}: at least one request value must match. */
        FOR_ANY_VALUE,
        /** {@code ForAllValues:}: every request value must match; a missing or empty key matches. */
        FOR_ALL_VALUES
    }

    /** The kind of value an operator compares. */
    public enum Kind { STRING, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL }

    /** The base operators. A negated operator matches when the request value matches none of the values. */
    public enum Base {
        StringEquals(Kind.STRING, false), StringNotEquals(Kind.STRING, true),
        StringEqualsIgnoreCase(Kind.STRING, false), StringNotEqualsIgnoreCase(Kind.STRING, true),
        StringLike(Kind.STRING, false), StringNotLike(Kind.STRING, true),
        NumericEquals(Kind.NUMERIC, false), NumericNotEquals(Kind.NUMERIC, true),
        NumericLessThan(Kind.NUMERIC, false), NumericLessThanEquals(Kind.NUMERIC, false),
        NumericGreaterThan(Kind.NUMERIC, false), NumericGreaterThanEquals(Kind.NUMERIC, false),
        DateEquals(Kind.DATE, false), DateNotEquals(Kind.DATE, true),
        DateLessThan(Kind.DATE, false), DateLessThanEquals(Kind.DATE, false),
        DateGreaterThan(Kind.DATE, false), DateGreaterThanEquals(Kind.DATE, false),
        Bool(Kind.BOOL, false),
        BinaryEquals(Kind.BINARY, false),
        IpAddress(Kind.IP, false), NotIpAddress(Kind.IP, true),
        ArnEquals(Kind.ARN, false), ArnLike(Kind.ARN, false),
        ArnNotEquals(Kind.ARN, true), ArnNotLike(Kind.ARN, true),
        Null(Kind.NULL, false);

        private final Kind kind;
        private final boolean negated;

        Base(Kind kind, boolean negated) {
            this.kind = kind;
            this.negated = negated;
        }

        public Kind kind() {
            return kind;
        }

        public boolean negated() {
            return negated;
        }
    }

    private static final String FOR_ANY = "ForAnyValue:";
    private static final String FOR_ALL = "ForAllValues:";
    private static final String IF_EXISTS = "IfExists";

    /** Parses an operator name; empty when it is not a known operator. */
    public static Optional<ConditionOperator> parse(String name) {
        String rest = name;
        SetQualifier qualifier = SetQualifier.NONE;
        if (rest.startsWith(FOR_ANY)) {
            qualifier = SetQualifier.FOR_ANY_VALUE;
            rest = rest.substring(FOR_ANY.length());
        } else if (rest.startsWith(FOR_ALL)) {
            qualifier = SetQualifier.FOR_ALL_VALUES;
            rest = rest.substring(FOR_ALL.length());
        }
        boolean ifExists = false;
        if (rest.endsWith(IF_EXISTS) && rest.length() > IF_EXISTS.length()) {
            ifExists = true;
            rest = rest.substring(0, rest.length() - IF_EXISTS.length());
        }
        Base base;
        try {
            base = Base.valueOf(rest);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Null tests for presence itself: it takes neither IfExists nor a set qualifier.
        if (base == Base.Null && (ifExists || qualifier != SetQualifier.NONE)) {
            return Optional.empty();
        }
        return Optional.of(new ConditionOperator(name, base, qualifier, ifExists));
    }
}
