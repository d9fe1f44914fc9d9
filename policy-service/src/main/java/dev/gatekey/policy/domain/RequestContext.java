package dev.gatekey.policy.domain;

import dev.gatekey.platform.auth.PrincipalType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a request is evaluated against: principal, action, resource and the condition keys with
 * their values. Key names are case-insensitive (stored lower-cased).
 */
public final class RequestContext {
    private final String principalArn;
    private final PrincipalType principalType;
    private final String accountId;
    private final String action;
    private final String actionLower;
    private final String resource;
    private final Map<String, List<String>> keys;

    public RequestContext(String principalArn, PrincipalType principalType, String accountId, String action,
            String resource, Map<String, List<String>> keys) {
        this.principalArn = principalArn;
        this.principalType = principalType;
        this.accountId = accountId;
        this.action = action;
        this.actionLower = action.toLowerCase(Locale.ROOT);
        this.resource = resource;
        Map<String, List<String>> normalized = new LinkedHashMap<>();
        keys.forEach((k, v) -> normalized.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        this.keys = Map.copyOf(normalized);
    }

    public String principalArn() {
        return principalArn;
    }

    public PrincipalType principalType() {
        return principalType;
    }

    public String accountId() {
        return accountId;
    }

    public String action() {
        return action;
    }

    /** The action lower-cased, for the statement index. */
    public String actionLower() {
        return actionLower;
    }

    /** The values of a key given lower-cased; empty when the request context lacks it. */
    public List<String> valuesOfLowerCaseKey(String lowerKey) {
        List<String> v = keys.get(lowerKey);
        return v == null ? List.of() : v;
    }

    public String resource() {
        return resource;
    }

    /** The key's values; empty when the request context lacks the key. */
    public Optional<List<String>> values(String key) {
        return Optional.ofNullable(keys.get(key.toLowerCase(Locale.ROOT)));
    }

    /** All keys (lower-cased) and values. */
    public Map<String, List<String>> keys() {
        return keys;
    }
}
