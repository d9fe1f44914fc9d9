package dev.gatekey.policy.domain;

import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.policy.domain.PolicySet.CompiledCondition;
import dev.gatekey.policy.domain.PolicySet.CompiledStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The policy decision: a pure function of the request context, the applicable identity
 * policies and the principal's permissions boundary (IAM User Guide, "Policy evaluation
 * logic"). An explicit deny in any of them overrides any allow; the request is allowed only
 * when the identity policies allow it and, if a boundary applies, the boundary allows it too;
 * otherwise it is implicitly denied. The account's root user is not limited by identity
 * policies in its own account.
 */
public final class Authorizer {
    private Authorizer() {
    }

    public static AuthorizationResult authorize(RequestContext context, List<ApplicablePolicy> policies) {
        return authorize(context, PolicySet.of(policies), null);
    }

    /**
     * @param boundary the permissions boundary, or null when none applies
     */
    public static AuthorizationResult authorize(RequestContext context, PolicySet identity, PolicySet boundary) {
        if (context.principalType() == PrincipalType.ROOT && ownAccount(context)) {
            return new AuthorizationResult(Decision.ALLOWED, List.of(), List.of());
        }
        Missing missing = new Missing();
        Partial id = evaluate(identity, context, missing);
        Partial pb = boundary == null ? null : evaluate(boundary, context, missing);
        Decision idDecision = id.decision();
        Decision pbDecision = pb == null ? null : pb.decision();
        List<String> missingKeys = missing.keys();
        if (idDecision == Decision.EXPLICIT_DENY || pbDecision == Decision.EXPLICIT_DENY) {
            return new AuthorizationResult(Decision.EXPLICIT_DENY, concat(id.denies, pb == null ? null : pb.denies),
                    missingKeys, idDecision, pbDecision);
        }
        if (idDecision == Decision.ALLOWED && (pbDecision == null || pbDecision == Decision.ALLOWED)) {
            return new AuthorizationResult(Decision.ALLOWED, concat(id.allows, pb == null ? null : pb.allows),
                    missingKeys, idDecision, pbDecision);
        }
        return new AuthorizationResult(Decision.IMPLICIT_DENY, List.of(), missingKeys, idDecision, pbDecision);
    }

    /** The Allow and Deny statements of one policy set that apply to the request. */
    private static final class Partial {
        List<MatchedStatement> allows;
        List<MatchedStatement> denies;

        Decision decision() {
            return denies != null ? Decision.EXPLICIT_DENY : allows != null ? Decision.ALLOWED : Decision.IMPLICIT_DENY;
        }
    }

    /** Missing context keys in first-seen order, case-insensitively distinct; allocated only when needed. */
    private static final class Missing implements Consumer<String> {
        private Map<String, String> keys;

        @Override
        public void accept(String key) {
            if (keys == null) {
                keys = new LinkedHashMap<>();
            }
            keys.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
        }

        List<String> keys() {
            return keys == null ? List.of() : new ArrayList<>(keys.values());
        }
    }

    /** Walks the candidates of the three sorted index lists in statement order, each once. */
    private static Partial evaluate(PolicySet set, RequestContext context, Missing missing) {
        Partial out = new Partial();
        String action = context.actionLower();
        int[] a = set.exactCandidates(action);
        int[] b = set.serviceCandidates(action);
        int[] c = set.genericCandidates();
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length || k < c.length) {
            int next = Integer.MAX_VALUE;
            if (i < a.length) {
                next = a[i];
            }
            if (j < b.length && b[j] < next) {
                next = b[j];
            }
            if (k < c.length && c[k] < next) {
                next = c[k];
            }
            if (i < a.length && a[i] == next) {
                i++;
            }
            if (j < b.length && b[j] == next) {
                j++;
            }
            if (k < c.length && c[k] == next) {
                k++;
            }
            CompiledStatement s = set.statements[next];
            if (!applies(s, context, missing)) {
                continue;
            }
            Statement st = s.statement;
            MatchedStatement m = new MatchedStatement(s.policy.sourcePolicyId(), st.sid(), st.index(), st.effect(),
                    s.policy.type(), st.start(), st.end());
            if (st.effect() == Effect.DENY) {
                if (out.denies == null) {
                    out.denies = new ArrayList<>(2);
                }
                out.denies.add(m);
            } else {
                if (out.allows == null) {
                    out.allows = new ArrayList<>(2);
                }
                out.allows.add(m);
            }
        }
        return out;
    }

    private static List<MatchedStatement> concat(List<MatchedStatement> a, List<MatchedStatement> b) {
        if (b == null || b.isEmpty()) {
            return a == null ? List.of() : a;
        }
        if (a == null || a.isEmpty()) {
            return b;
        }
        List<MatchedStatement> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static boolean ownAccount(RequestContext context) {
        String account = ArnMatcher.accountOf(context.resource());
        return account.isEmpty() || account.equals(context.accountId());
    }

    /** Action, then resource, then every condition (all are evaluated, to report missing keys). */
    private static boolean applies(CompiledStatement s, RequestContext context, Consumer<String> missing) {
        boolean any = false;
        for (Wildcard w : s.actions) {
            if (w.matches(context.action(), true)) {
                any = true;
                break;
            }
        }
        if (s.statement.actions().negated() == any) {
            return false;
        }
        if (s.resources != null && !resourceMatches(s, context, missing)) {
            return false;
        }
        boolean all = true;
        for (CompiledCondition condition : s.conditions) {
            all &= ConditionEvaluator.evaluate(condition, s.version, context, missing);
        }
        return all;
    }

    private static boolean resourceMatches(CompiledStatement s, RequestContext context, Consumer<String> missing) {
        boolean any = false;
        List<String> templates = s.statement.resources().values();
        for (int r = 0; r < s.resources.length; r++) {
            Wildcard pattern = s.resources[r];
            if (pattern == null) {
                Optional<Wildcard> resolved = PolicyVariables.resolve(templates.get(r), s.version, context, missing);
                if (resolved.isEmpty()) {
                    continue;
                }
                pattern = resolved.get();
            }
            if (ArnMatcher.matchesResource(pattern, context.resource())) {
                any = true;
                break;
            }
        }
        return s.statement.resources().negated() != any;
    }

    /** Actions match case-insensitively, with {@code *} and {@code ?} wildcards. */
    static boolean actionMatches(ValueList actions, String action) {
        boolean any = false;
        for (String pattern : actions.values()) {
            if (Wildcard.of(pattern).matches(action, true)) {
                any = true;
                break;
            }
        }
        return actions.negated() != any;
    }
}
