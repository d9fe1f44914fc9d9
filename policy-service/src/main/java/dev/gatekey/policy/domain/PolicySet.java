package dev.gatekey.policy.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Policies compiled for evaluation: wildcards built once, literal condition values and
 * resources pre-built, and statements indexed by the actions they name, so that a request only
 * looks at the statements that can match its action (a statement naming other actions costs
 * nothing). Statements keep their order (policy order, then statement order), so the result of
 * {@link Authorizer} is the same as evaluating every statement in turn. Immutable and
 * thread-safe.
 */
public final class PolicySet {
    /** The empty set. */
    public static final PolicySet EMPTY = of(List.of());
    private static final int[] NONE = new int[0];

    private final List<ApplicablePolicy> policies;
    final CompiledStatement[] statements;
    /** Lower-cased exact action ({@code iam:getuser}) → ordinals of statements naming it. */
    private final Map<String, int[]> byAction;
    /** Lower-cased service prefix ({@code iam}) → ordinals of statements with a wildcard after it. */
    private final Map<String, int[]> byService;
    /** Statements with NotAction or a wildcard in the service part: always candidates. */
    private final int[] generic;

    private PolicySet(List<ApplicablePolicy> policies) {
        this.policies = List.copyOf(policies);
        List<CompiledStatement> all = new ArrayList<>();
        Map<String, Set<Integer>> exact = new HashMap<>();
        Map<String, Set<Integer>> service = new HashMap<>();
        Set<Integer> always = new LinkedHashSet<>();
        for (ApplicablePolicy policy : policies) {
            for (Statement s : policy.document().statements()) {
                int ordinal = all.size();
                all.add(new CompiledStatement(policy, s));
                if (s.actions().negated()) {
                    always.add(ordinal);
                    continue;
                }
                for (String pattern : s.actions().values()) {
                    String lower = pattern.toLowerCase(Locale.ROOT);
                    int colon = lower.indexOf(':');
                    String prefix = colon < 0 ? lower : lower.substring(0, colon);
                    if (colon < 0 || hasWildcard(prefix)) {
                        always.add(ordinal);
                    } else if (hasWildcard(lower)) {
                        service.computeIfAbsent(prefix, k -> new LinkedHashSet<>()).add(ordinal);
                    } else {
                        exact.computeIfAbsent(lower, k -> new LinkedHashSet<>()).add(ordinal);
                    }
                }
            }
        }
        this.statements = all.toArray(new CompiledStatement[0]);
        this.byAction = toArrays(exact);
        this.byService = toArrays(service);
        this.generic = always.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    public static PolicySet of(List<ApplicablePolicy> policies) {
        return new PolicySet(policies);
    }

    public List<ApplicablePolicy> policies() {
        return policies;
    }

    public int statementCount() {
        return statements.length;
    }

    public boolean isEmpty() {
        return statements.length == 0;
    }

    int[] exactCandidates(String actionLower) {
        return byAction.getOrDefault(actionLower, NONE);
    }

    int[] serviceCandidates(String actionLower) {
        int colon = actionLower.indexOf(':');
        return colon < 0 ? NONE : byService.getOrDefault(actionLower.substring(0, colon), NONE);
    }

    int[] genericCandidates() {
        return generic;
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }

    private static Map<String, int[]> toArrays(Map<String, Set<Integer>> m) {
        Map<String, int[]> out = new HashMap<>(m.size() * 2);
        m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).sorted().toArray()));
        return out;
    }

    /** A statement with everything that does not depend on the request built once. */
    static final class CompiledStatement {
        final ApplicablePolicy policy;
        final Statement statement;
        final PolicyLanguageVersion version;
        final Wildcard[] actions;
        /** Null entries: a resource with policy variables, resolved per request. */
        final Wildcard[] resources;
        final CompiledCondition[] conditions;

        CompiledStatement(ApplicablePolicy policy, Statement statement) {
            this.policy = policy;
            this.statement = statement;
            this.version = policy.document().version();
            this.actions = statement.actions().values().stream().map(Wildcard::of).toArray(Wildcard[]::new);
            if (statement.resources() == null) {
                this.resources = null;
            } else {
                this.resources = statement.resources().values().stream()
                        .map(r -> literal(r, version) ? Wildcard.of(r) : null).toArray(Wildcard[]::new);
            }
            this.conditions = statement.conditions().stream().map(c -> new CompiledCondition(c, version))
                    .toArray(CompiledCondition[]::new);
        }
    }

    /** A condition with its lower-cased key and, when it has no policy variables, its values built. */
    static final class CompiledCondition {
        final Condition condition;
        final String keyLower;
        /** Null when a value has a policy variable (resolved per request). */
        final List<Wildcard> fixedValues;

        CompiledCondition(Condition condition, PolicyLanguageVersion version) {
            this.condition = condition;
            this.keyLower = condition.normalizedKey();
            boolean literal = condition.values().stream().allMatch(v -> literal(v, version));
            this.fixedValues = literal ? condition.values().stream().map(Wildcard::of).toList() : null;
        }
    }

    static boolean literal(String value, PolicyLanguageVersion version) {
        return !version.supportsPolicyVariables() || !value.contains("${");
    }
}
