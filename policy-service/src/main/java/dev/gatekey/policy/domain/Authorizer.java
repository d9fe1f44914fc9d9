package dev.gatekey.policy.domain;

import dev.gatekey.platform.auth.PrincipalType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The policy decision: a pure function of the request context and the applicable identity
 * policies. An explicit deny overrides any allow; without an allow the request is implicitly
 * denied (IAM User Guide, "Policy evaluation logic"). The account's root user is not limited by
 * identity policies in its own account.
 */
public final class Authorizer {
    private Authorizer() {
    }

    public static AuthorizationResult authorize(RequestContext context, List<ApplicablePolicy> policies) {
        if (context.principalType() == PrincipalType.ROOT && ownAccount(context)) {
            return new AuthorizationResult(Decision.ALLOWED, List.of(), List.of());
        }
        List<MatchedStatement> allows = new ArrayList<>();
        List<MatchedStatement> denies = new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (ApplicablePolicy policy : policies) {
            PolicyDocument doc = policy.document();
            for (Statement statement : doc.statements()) {
                if (!applies(statement, doc.version(), context,
                        key -> missing.putIfAbsent(key.toLowerCase(Locale.ROOT), key))) {
                    continue;
                }
                MatchedStatement m = new MatchedStatement(policy.sourcePolicyId(), statement.sid(), statement.index(),
                        statement.effect());
                (statement.effect() == Effect.DENY ? denies : allows).add(m);
            }
        }
        List<String> missingKeys = new ArrayList<>(missing.values());
        if (!denies.isEmpty()) {
            return new AuthorizationResult(Decision.EXPLICIT_DENY, denies, missingKeys);
        }
        if (!allows.isEmpty()) {
            return new AuthorizationResult(Decision.ALLOWED, allows, missingKeys);
        }
        return new AuthorizationResult(Decision.IMPLICIT_DENY, List.of(), missingKeys);
    }

    private static boolean ownAccount(RequestContext context) {
        String account = ArnMatcher.accountOf(context.resource());
        return account.isEmpty() || account.equals(context.accountId());
    }

    /** Action, then resource, then every condition (all are evaluated, to report missing keys). */
    static boolean applies(Statement statement, PolicyLanguageVersion version, RequestContext context,
            java.util.function.Consumer<String> missing) {
        if (!actionMatches(statement.actions(), context.action())) {
            return false;
        }
        if (statement.resources() != null && !resourceMatches(statement.resources(), version, context, missing)) {
            return false;
        }
        boolean all = true;
        for (Condition condition : statement.conditions()) {
            all &= ConditionEvaluator.evaluate(condition, version, context, missing);
        }
        return all;
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

    static boolean resourceMatches(ValueList resources, PolicyLanguageVersion version, RequestContext context,
            java.util.function.Consumer<String> missing) {
        boolean any = false;
        for (String template : resources.values()) {
            Optional<Wildcard> pattern = PolicyVariables.resolve(template, version, context, missing);
            if (pattern.isPresent() && ArnMatcher.matches(pattern.get(), context.resource())) {
                any = true;
                break;
            }
        }
        return resources.negated() != any;
    }
}
