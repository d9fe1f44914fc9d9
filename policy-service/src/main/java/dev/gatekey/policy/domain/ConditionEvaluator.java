package dev.gatekey.policy.domain;

import dev.gatekey.policy.domain.ConditionOperator.Base;
import dev.gatekey.policy.domain.ConditionOperator.SetQualifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Evaluates one condition against a request context, following the IAM User Guide
 * ("Condition operators", "Multivalued context keys", "...IfExists condition operators"):
 * <ul>
 * <li>values of one key are ORed; a negated operator matches when the request value matches
 * none of them;</li>
 * <li>a missing key: no match, except with {@code ...IfExists} (match), a negated operator
 * such as {@code StringNotEquals} or {@code NotIpAddress} (match: the key is "not matched"),
 * {@code Null} (tests presence) and {@code ForAllValues:} (match, also for an empty set);
 * {@code ForAnyValue:} on a missing key does not match, negated or not;</li>
 * <li>a request value of the wrong type does not match.</li>
 * </ul>
 */
final class ConditionEvaluator {
    private ConditionEvaluator() {
    }

    static boolean evaluate(Condition condition, PolicyLanguageVersion version, RequestContext context,
            Consumer<String> missing) {
        return evaluate(condition, condition.normalizedKey(), null, version, context, missing);
    }

    static boolean evaluate(PolicySet.CompiledCondition compiled, PolicyLanguageVersion version,
            RequestContext context, Consumer<String> missing) {
        return evaluate(compiled.condition, compiled.keyLower, compiled.fixedValues, version, context, missing);
    }

    /** @param fixedValues the built values when they have no policy variables, else null */
    private static boolean evaluate(Condition condition, String keyLower, List<Wildcard> fixedValues,
            PolicyLanguageVersion version, RequestContext context, Consumer<String> missing) {
        ConditionOperator op = condition.operator();
        List<String> requestValues = context.valuesOfLowerCaseKey(keyLower);
        boolean absent = requestValues.isEmpty();
        if (op.base() == Base.Null) {
            return condition.values().stream()
                    .anyMatch(v -> ConditionValues.bool(v).map(wantAbsent -> wantAbsent == absent).orElse(false));
        }
        if (absent) {
            missing.accept(condition.key());
            if (op.qualifier() == SetQualifier.FOR_ALL_VALUES) {
                return true;
            }
            if (op.qualifier() == SetQualifier.FOR_ANY_VALUE) {
                return op.ifExists();
            }
            // "If the policy condition requires that the key is not matched, such as StringNotLike or
            // ArnNotLike, and the right key is not present, the condition is true" (Condition operators).
            return op.ifExists() || op.base().negated();
        }
        List<Wildcard> policyValues = fixedValues;
        if (policyValues == null) {
            policyValues = new ArrayList<>();
            for (String v : condition.values()) {
                PolicyVariables.resolve(v, version, context, missing).ifPresent(policyValues::add);
            }
        }
        boolean all = op.qualifier() == SetQualifier.FOR_ALL_VALUES
                // A single-valued negated operator given several request values: each must satisfy it.
                || (op.qualifier() == SetQualifier.NONE && op.base().negated());
        for (String r : requestValues) {
            boolean m = matchOne(op.base(), r, policyValues);
            if (all && !m) {
                return false;
            }
            if (!all && m) {
                return true;
            }
        }
        return all;
    }

    /** Whether one request value satisfies the operator against the ORed policy values. */
    private static boolean matchOne(Base base, String requestValue, List<Wildcard> policyValues) {
        boolean any = false;
        for (int i = 0; i < policyValues.size(); i++) {
            if (positive(base, requestValue, policyValues.get(i))) {
                any = true;
                break;
            }
        }
        return base.negated() != any;
    }

    /** The comparison of the operator, or of its positive form for a negated operator. */
    private static boolean positive(Base base, String r, Wildcard p) {
        return switch (base) {
            case StringEquals, StringNotEquals -> r.equals(p.text());
            case StringEqualsIgnoreCase, StringNotEqualsIgnoreCase -> r.equalsIgnoreCase(p.text());
            case StringLike, StringNotLike -> p.matches(r, false);
            case NumericEquals, NumericNotEquals -> numeric(r, p, c -> c == 0);
            case NumericLessThan -> numeric(r, p, c -> c < 0);
            case NumericLessThanEquals -> numeric(r, p, c -> c <= 0);
            case NumericGreaterThan -> numeric(r, p, c -> c > 0);
            case NumericGreaterThanEquals -> numeric(r, p, c -> c >= 0);
            case DateEquals, DateNotEquals -> date(r, p, c -> c == 0);
            case DateLessThan -> date(r, p, c -> c < 0);
            case DateLessThanEquals -> date(r, p, c -> c <= 0);
            case DateGreaterThan -> date(r, p, c -> c > 0);
            case DateGreaterThanEquals -> date(r, p, c -> c >= 0);
            case Bool -> {
                Optional<Boolean> a = ConditionValues.bool(r);
                Optional<Boolean> b = ConditionValues.bool(p.text());
                yield a.isPresent() && a.equals(b);
            }
            case BinaryEquals -> {
                Optional<byte[]> a = ConditionValues.binary(r);
                Optional<byte[]> b = ConditionValues.binary(p.text());
                yield a.isPresent() && b.isPresent() && Arrays.equals(a.get(), b.get());
            }
            case IpAddress, NotIpAddress -> CidrBlock.parse(p.text()).map(block -> block.contains(r)).orElse(false);
            case ArnEquals, ArnLike, ArnNotEquals, ArnNotLike -> ArnMatcher.matches(p, r);
            case Null -> throw new IllegalStateException("Null is evaluated on presence");
        };
    }

    private interface Comparison {
        boolean holds(int comparison);
    }

    private static boolean numeric(String r, Wildcard p, Comparison cmp) {
        Optional<BigDecimal> a = ConditionValues.number(r);
        Optional<BigDecimal> b = ConditionValues.number(p.text());
        return a.isPresent() && b.isPresent() && cmp.holds(a.get().compareTo(b.get()));
    }

    private static boolean date(String r, Wildcard p, Comparison cmp) {
        Optional<Instant> a = ConditionValues.date(r);
        Optional<Instant> b = ConditionValues.date(p.text());
        return a.isPresent() && b.isPresent() && cmp.holds(a.get().compareTo(b.get()));
    }
}
