package dev.gatekey.policy.domain;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Substitutes policy variables ({@code ${aws:username}}, {@code ${key, 'default'}}) and the
 * escapes {@code ${*}}, {@code ${?}}, {@code ${$}} in Resource and condition values. Only
 * documents with Version 2012-10-17 have variables; under 2008-10-17 the text is literal
 * (IAM User Guide, "IAM policy elements: Variables and tags").
 */
public final class PolicyVariables {
    private PolicyVariables() {
    }

    /**
     * The pattern for {@code template}, or empty when it uses a variable whose key the request
     * lacks and that has no default: such a value matches nothing. Missing keys are reported to
     * {@code missing}. Substituted text is literal: a {@code *} in a user name is no wildcard.
     */
    public static Optional<Wildcard> resolve(String template, PolicyLanguageVersion version, RequestContext context,
            Consumer<String> missing) {
        if (!version.supportsPolicyVariables() || !template.contains("${")) {
            return Optional.of(Wildcard.of(template));
        }
        Wildcard.Builder out = new Wildcard.Builder();
        boolean resolved = true;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.literal(template.substring(i));
                    break;
                }
                String inner = template.substring(i + 2, close);
                i = close + 1;
                if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
                    out.literal(inner);
                    continue;
                }
                Optional<String> value = lookup(inner, context, missing);
                if (value.isEmpty()) {
                    resolved = false;
                } else {
                    out.literal(value.get());
                }
            } else {
                if (c == '*' || c == '?') {
                    out.wildcard(c);
                } else {
                    out.literal(String.valueOf(c));
                }
                i++;
            }
        }
        return resolved ? Optional.of(out.build()) : Optional.empty();
    }

    /** {@code key} or {@code key, 'default'}: the key's single value, else the default. */
    private static Optional<String> lookup(String inner, RequestContext context, Consumer<String> missing) {
        String key = inner;
        String fallback = null;
        int comma = inner.indexOf(',');
        if (comma >= 0) {
            key = inner.substring(0, comma);
            String d = inner.substring(comma + 1).trim();
            if (d.length() >= 2 && d.startsWith("'") && d.endsWith("'")) {
                fallback = d.substring(1, d.length() - 1);
            }
        }
        key = key.trim();
        Optional<List<String>> values = context.values(key);
        if (values.isPresent() && !values.get().isEmpty()) {
            return Optional.of(values.get().get(0));
        }
        if (fallback != null) {
            return Optional.of(fallback);
        }
        missing.accept(key);
        return Optional.empty();
    }
}
