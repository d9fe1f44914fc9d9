package dev.gatekey.policy.domain;

import java.util.List;

/**
 * The decision with its reasons: the Deny statements that matched for an explicit deny, the
 * Allow statements (identity policies and permissions boundary) for an allow, none for an
 * implicit deny; the condition keys that the evaluated statements referenced but the request
 * lacked; and the decisions of the identity policies alone and of the permissions boundary
 * alone (null when no boundary applies), for the simulator's EvalDecisionDetails.
 */
public record AuthorizationResult(Decision decision, List<MatchedStatement> matchedStatements,
        List<String> missingContextValues, Decision identityDecision, Decision boundaryDecision) {
    public AuthorizationResult {
        matchedStatements = List.copyOf(matchedStatements);
        missingContextValues = List.copyOf(missingContextValues);
    }

    public AuthorizationResult(Decision decision, List<MatchedStatement> matchedStatements,
            List<String> missingContextValues) {
        this(decision, matchedStatements, missingContextValues, decision, null);
    }
}
