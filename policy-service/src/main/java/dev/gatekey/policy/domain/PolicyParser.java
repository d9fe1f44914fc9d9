package dev.gatekey.policy.domain;

import dev.gatekey.platform.error.GatekeyException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates an IAM JSON policy (IAM User Guide, "IAM JSON policy element reference"
 * and "Grammar of the IAM JSON policy language") into an immutable {@link PolicyDocument}.
 * Every error is a {@link MalformedPolicyDocument} naming the problem and its line and column.
 */
public final class PolicyParser {
    /** Managed policies may have at most 6,144 characters, white space not counted (IAM quotas). */
    public static final int MANAGED_POLICY_MAX_CHARS = 6144;

    /** Inline policies of users: at most 2,048 characters, white space not counted. */
    public static final int USER_POLICY_MAX_CHARS = 2048;
    /** Inline policies of groups: at most 5,120 characters, white space not counted. */
    public static final int GROUP_POLICY_MAX_CHARS = 5120;
    /** Any document longer than this (white space included) is refused before parsing. */
    public static final int MAX_TEXT_LENGTH = 131_072;

    /** Which kind of policy is parsed: identity-based policies must not name a principal. */
    public enum PolicyKind { IDENTITY, RESOURCE }

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]*");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9_-]+:[A-Za-z0-9_*?-]*");
    private static final Pattern CONDITION_KEY = Pattern.compile("[A-Za-z0-9_-]+:\\S+");

    private PolicyParser() {
    }

    /** Parses a customer managed policy: the size quota, then the grammar of an identity policy. */
    public static PolicyDocument parseManagedPolicy(String text) {
        if (text == null || text.isBlank()) {
            throw new MalformedPolicyDocument("Syntax errors in policy: the document is empty.");
        }
        if (nonWhitespaceLength(text) > MANAGED_POLICY_MAX_CHARS) {
            throw GatekeyException.limitExceeded("Cannot exceed quota for PolicySize: " + MANAGED_POLICY_MAX_CHARS);
        }
        return parse(text, PolicyKind.IDENTITY);
    }

    /**
     * Parses an inline policy of a user or group: the size quota ({@code LimitExceeded} with
     * AWS's message naming the principal), then the grammar of an identity policy.
     *
     * @param principalKind {@code user} or {@code group}
     */
    public static PolicyDocument parseInlinePolicy(String text, String principalKind, String principalName,
            int maxChars) {
        if (text == null || text.isBlank()) {
            throw new MalformedPolicyDocument("Syntax errors in policy: the document is empty.");
        }
        if (nonWhitespaceLength(text) > maxChars) {
            throw GatekeyException.limitExceeded("Maximum policy size of " + maxChars + " bytes exceeded for "
                    + principalKind + " " + principalName);
        }
        return parse(text, PolicyKind.IDENTITY);
    }

    public static PolicyDocument parse(String text) {
        return parse(text, PolicyKind.IDENTITY);
    }

    public static PolicyDocument parse(String text, PolicyKind kind) {
        if (text == null) {
            throw new MalformedPolicyDocument("Syntax errors in policy: the document is empty.");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new MalformedPolicyDocument("Syntax errors in policy: the document is longer than "
                    + MAX_TEXT_LENGTH + " characters");
        }
        LocatedJson root = LocatedJson.parse(text);
        Map<String, LocatedJson> top = object(root, "The policy document");
        for (Map.Entry<String, LocatedJson> e : top.entrySet()) {
            if (!TOP_LEVEL.contains(e.getKey())) {
                throw root.nameError(e.getKey(), "Unknown element '" + e.getKey() + "' in the policy document");
            }
        }
        PolicyLanguageVersion version = PolicyLanguageVersion.V2008_10_17;
        LocatedJson v = top.get("Version");
        if (v != null) {
            String s = string(v, "Version");
            version = PolicyLanguageVersion.fromText(s).orElseThrow(() -> v.error(
                    "The policy version '" + s + "' is not valid; use 2012-10-17 or 2008-10-17"));
        }
        String id = top.containsKey("Id") ? string(top.get("Id"), "Id") : "";
        LocatedJson st = top.get("Statement");
        if (st == null) {
            throw root.error("The policy document must contain a Statement element");
        }
        List<LocatedJson> items;
        if (st.value() instanceof Map) {
            items = List.of(st);
        } else if (st.value() instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<LocatedJson> l = (List<LocatedJson>) list;
            items = l;
        } else {
            throw st.error("Statement must be an object or an array of objects, not " + st.describeType());
        }
        if (items.isEmpty()) {
            throw st.error("Statement must contain at least one statement");
        }
        List<Statement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Statement s = statement(items.get(i), i, kind);
            if (!s.sid().isEmpty() && !sids.add(s.sid())) {
                throw items.get(i).error("Statement IDs (SID) in a single policy must be unique: '" + s.sid()
                        + "' is repeated");
            }
            statements.add(s);
        }
        return new PolicyDocument(version, id, statements, text);
    }

    private static Statement statement(LocatedJson node, int index, PolicyKind kind) {
        Map<String, LocatedJson> el = object(node, "Statement " + index);
        for (Map.Entry<String, LocatedJson> e : el.entrySet()) {
            if (!STATEMENT_ELEMENTS.contains(e.getKey())) {
                throw node.nameError(e.getKey(), "Unknown element '" + e.getKey() + "' in statement " + index);
            }
        }
        String sid = "";
        if (el.containsKey("Sid")) {
            sid = string(el.get("Sid"), "Sid");
            if (kind == PolicyKind.IDENTITY && !SID.matcher(sid).matches()) {
                throw el.get("Sid").error("Statement IDs (SID) must be alpha-numeric: '" + sid + "'");
            }
        }
        LocatedJson effectNode = el.get("Effect");
        if (effectNode == null) {
            throw node.error("Statement " + index + " must contain an Effect element");
        }
        String effectText = string(effectNode, "Effect");
        Effect effect = switch (effectText) {
            case "Allow" -> Effect.ALLOW;
            case "Deny" -> Effect.DENY;
            default -> throw effectNode.error("Effect must be \"Allow\" or \"Deny\", not \"" + effectText + "\"");
        };
        ValueList actions = exclusive(el, node, index, "Action", "NotAction", true);
        for (String a : actions.values()) {
            if (!ACTION.matcher(a).matches()) {
                // IAM User Guide, "Where you can use policy variables": Resource and Condition values only.
                String why = a.contains("${") ? "policy variables are allowed only in Resource and Condition values"
                        : "actions must be prefaced by a vendor, e.g., iam, sts, ec2";
                throw el.get(actions.negated() ? "NotAction" : "Action").error("Action '" + a + "' is not valid: " + why);
            }
        }
        ValueList resources = exclusive(el, node, index, "Resource", "NotResource", kind == PolicyKind.IDENTITY);
        if (resources != null) {
            for (String r : resources.values()) {
                if (!r.equals("*") && !(r.startsWith("arn:") && r.chars().filter(c -> c == ':').count() >= 5)) {
                    throw el.get(resources.negated() ? "NotResource" : "Resource").error(
                            "Resource " + r + " must be in ARN format or \"*\"");
                }
            }
        }
        PrincipalElement principal = principal(el, node, index);
        if (principal != null && kind == PolicyKind.IDENTITY) {
            LocatedJson p = el.containsKey("Principal") ? el.get("Principal") : el.get("NotPrincipal");
            throw p.error("Policy document should not specify a principal");
        }
        List<Condition> conditions = el.containsKey("Condition") ? conditions(el.get("Condition")) : List.of();
        return new Statement(index, sid, effect, actions, resources, principal, conditions,
                new SourcePosition(node.line(), node.column()), new SourcePosition(node.endLine(), node.endColumn()));
    }

    /** Exactly one of {@code name} / {@code notName}; null when neither is present and not required. */
    private static ValueList exclusive(Map<String, LocatedJson> el, LocatedJson statement, int index, String name,
            String notName, boolean required) {
        LocatedJson positive = el.get(name);
        LocatedJson negative = el.get(notName);
        if (positive != null && negative != null) {
            throw negative.error("Statement " + index + " cannot contain both " + name + " and " + notName);
        }
        if (positive == null && negative == null) {
            if (required) {
                throw statement.error("Statement " + index + " must contain " + name + " or " + notName);
            }
            return null;
        }
        LocatedJson n = positive != null ? positive : negative;
        return new ValueList(strings(n, positive != null ? name : notName), negative != null);
    }

    private static PrincipalElement principal(Map<String, LocatedJson> el, LocatedJson statement, int index) {
        LocatedJson p = el.get("Principal");
        LocatedJson np = el.get("NotPrincipal");
        if (p != null && np != null) {
            throw np.error("Statement " + index + " cannot contain both Principal and NotPrincipal");
        }
        LocatedJson n = p != null ? p : np;
        if (n == null) {
            return null;
        }
        String element = p != null ? "Principal" : "NotPrincipal";
        Map<String, List<String>> principals = new LinkedHashMap<>();
        if ("*".equals(n.value())) {
            principals.put("*", List.of("*"));
        } else if (n.value() instanceof Map<?, ?>) {
            object(n, element).forEach((type, ids) -> {
                if (!Set.of("AWS", "Service", "Federated", "CanonicalUser").contains(type)) {
                    throw ids.error("Unknown principal type '" + type + "' in " + element);
                }
                principals.put(type, strings(ids, element + "." + type));
            });
        } else {
            throw n.error(element + " must be \"*\" or an object");
        }
        return new PrincipalElement(principals, np != null);
    }

    private static List<Condition> conditions(LocatedJson node) {
        List<Condition> out = new ArrayList<>();
        for (Map.Entry<String, LocatedJson> op : object(node, "Condition").entrySet()) {
            ConditionOperator operator = ConditionOperator.parse(op.getKey())
                    .orElseThrow(() -> node.nameError(op.getKey(), "Invalid Condition type : " + op.getKey()));
            for (Map.Entry<String, LocatedJson> key : object(op.getValue(), op.getKey()).entrySet()) {
                if (!CONDITION_KEY.matcher(key.getKey()).matches()) {
                    throw op.getValue().nameError(key.getKey(), "Condition key '" + key.getKey()
                            + "' is not valid: keys must be prefaced by a vendor, e.g., aws:SourceIp");
                }
                List<String> values = scalars(key.getValue(), key.getKey());
                for (String value : values) {
                    // "You cannot use a policy variable with the Date condition operator" (IAM User Guide).
                    boolean variable = value.contains("${") && operator.base().kind() != ConditionOperator.Kind.DATE;
                    if (!variable && !ConditionValues.valid(operator.base().kind(), value)) {
                        throw key.getValue().error("Value '" + value + "' of " + key.getKey()
                                + " is not valid for condition operator " + op.getKey()
                                + (value.contains("${") ? ": policy variables cannot be used with Date operators" : ""));
                    }
                }
                out.add(new Condition(operator, key.getKey(), values));
            }
        }
        return out;
    }

    private static Map<String, LocatedJson> object(LocatedJson n, String what) {
        if (n.value() instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, LocatedJson> m = (Map<String, LocatedJson>) map;
            return m;
        }
        throw n.error(what + " must be an object, not " + n.describeType());
    }

    private static String string(LocatedJson n, String element) {
        if (n.value() instanceof String s) {
            return s;
        }
        throw n.error(element + " must be a string, not " + n.describeType());
    }

    /** A string or a non-empty array of non-empty strings. */
    private static List<String> strings(LocatedJson n, String element) {
        List<String> out = new ArrayList<>();
        if (n.value() instanceof String s) {
            out.add(s);
        } else if (n.value() instanceof List<?> list) {
            for (Object o : list) {
                out.add(string((LocatedJson) o, element + " value"));
            }
        } else {
            throw n.error(element + " must be a string or an array of strings, not " + n.describeType());
        }
        if (out.isEmpty() || out.stream().anyMatch(String::isEmpty)) {
            throw n.error(element + " must not be empty");
        }
        return out;
    }

    /** Condition values: a scalar or an array of scalars; numbers and booleans as written. */
    private static List<String> scalars(LocatedJson n, String key) {
        List<LocatedJson> items = new ArrayList<>();
        if (n.value() instanceof List<?> list) {
            for (Object o : list) {
                items.add((LocatedJson) o);
            }
        } else {
            items.add(n);
        }
        List<String> out = new ArrayList<>();
        for (LocatedJson item : items) {
            Object v = item.value();
            if (v instanceof String s) {
                out.add(s);
            } else if (v instanceof Boolean b) {
                out.add(b.toString());
            } else if (v instanceof LocatedJson.NumberText num) {
                out.add(num.text());
            } else {
                throw item.error("Values of condition key " + key + " must be strings, numbers or booleans, not "
                        + item.describeType());
            }
        }
        return out;
    }

    /** The size AWS counts against the managed-policy quota: characters other than white space. */
    public static int nonWhitespaceLength(String text) {
        return (int) text.codePoints().filter(c -> !Character.isWhitespace(c)).count();
    }

    /** Convenience for callers that only need to know whether a document is valid. */
    public static Optional<MalformedPolicyDocument> validate(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (MalformedPolicyDocument e) {
            return Optional.of(e);
        }
    }
}
