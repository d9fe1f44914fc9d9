package dev.gatekey.policy.domain;

import java.util.List;

/**
 * The decision with its reasons: the Deny statements that matched for an explicit deny, the
 * Allow statements for an allow, none for an implicit deny; and the condition keys that the
 * evaluated statements referenced but the request lacked.
 */
public record AuthorizationResult(Decision decision, List<MatchedStatement> matchedStatements,
        List<String> missingContextValues) {
    public AuthorizationResult {
        matchedStatements = List.copyOf(matchedStatements);
        missingContextValues = List.copyOf(missingContextValues);
    }
}
