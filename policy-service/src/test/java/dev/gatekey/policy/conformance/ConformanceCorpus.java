package dev.gatekey.policy.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The policy conformance corpus: {@code src/test/resources/conformance/*.json}, each a list of
 * cases with the policies, the request and the expected decision, matched statements and
 * (optionally) missing context keys, or the expected AWS error code (and optionally text its
 * message contains, such as the line and column of the problem). Policies are inline
 * ({@code {"name", "document"}} or {@code {"name", "text"}}) or name a file under
 * {@code conformance/policies/}. The same cases run through the domain and through gRPC.
 */
public final class ConformanceCorpus {
    public static final String ACCOUNT = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the caller authenticated: the rows of AWS's MFA context table. */
    public enum Session {
        LONG_TERM_KEY("long-term-key", Optional.empty()),
        STS_MFA("sts-mfa", Optional.of(true)),
        STS_NO_MFA("sts-no-mfa", Optional.of(false)),
        CONSOLE_MFA("console-mfa", Optional.of(true)),
        CONSOLE_PASSWORD("console-password", Optional.of(false));

        final String id;
        final Optional<Boolean> mfaPresent;

        Session(String id, Optional<Boolean> mfaPresent) {
            this.id = id;
            this.mfaPresent = mfaPresent;
        }

        public Optional<Boolean> mfaPresent() {
            return mfaPresent;
        }

        static Session of(String id) {
            for (Session s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("Unknown session " + id);
        }
    }

    /** How a case's policy reaches the principal. */
    public enum Attachment {
        /** A managed policy attached to the user (the default). */
        USER,
        /** An inline policy of the user. */
        INLINE_USER,
        /** A managed policy attached to the group {@code group}. */
        GROUP,
        /** An inline policy of the group {@code group}. */
        INLINE_GROUP,
        /** A managed policy set as the user's permissions boundary. */
        BOUNDARY
    }

    /**
     * A case's policy: {@code attach} is {@code user} (default), {@code inline}, {@code group:<name>},
     * {@code inline-group:<name>} or {@code boundary}.
     */
    public record PolicySpec(String name, String text, Attachment attachment, String group) {
        public PolicySpec(String name, String text) {
            this(name, text, Attachment.USER, null);
        }

        public String arn() {
            return "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
        }

        /** The SourcePolicyId the service reports: the ARN, the inline name or {@code Group/Name}. */
        public String sourcePolicyId() {
            return switch (attachment) {
                case INLINE_USER -> name;
                case INLINE_GROUP -> group + "/" + name;
                default -> arn();
            };
        }

        boolean managed() {
            return attachment == Attachment.USER || attachment == Attachment.GROUP || attachment == Attachment.BOUNDARY;
        }
    }

    /**
     * The identity policies in the order the service evaluates them: the user's inline policies,
     * its attached policies, its groups' inline policies, its groups' attached policies (each
     * by name, groups by name); only groups the user is in count.
     */
    public static List<PolicySpec> identityOrder(Case c) {
        java.util.Comparator<PolicySpec> byName = java.util.Comparator.comparing(p -> p.name().toLowerCase());
        java.util.Comparator<PolicySpec> byGroup = java.util.Comparator.comparing(p -> p.group().toLowerCase());
        List<PolicySpec> out = new ArrayList<>();
        List<String> groups = c.request().groups().stream().map(String::toLowerCase).toList();
        c.policies().stream().filter(p -> p.attachment() == Attachment.INLINE_USER).sorted(byName).forEach(out::add);
        c.policies().stream().filter(p -> p.attachment() == Attachment.USER).sorted(byName).forEach(out::add);
        c.policies().stream().filter(p -> p.attachment() == Attachment.INLINE_GROUP
                && groups.contains(p.group().toLowerCase())).sorted(byGroup.thenComparing(byName)).forEach(out::add);
        c.policies().stream().filter(p -> p.attachment() == Attachment.GROUP
                && groups.contains(p.group().toLowerCase())).sorted(byGroup.thenComparing(byName))
                .filter(p -> out.stream().noneMatch(o -> o.managed() && o.name().equals(p.name()))).forEach(out::add);
        return out;
    }

    public static Optional<PolicySpec> boundary(Case c) {
        return c.policies().stream().filter(p -> p.attachment() == Attachment.BOUNDARY).findFirst();
    }

    private static PolicySpec withAttachment(String name, String text, JsonNode p) {
        String attach = p.isObject() && p.has("attach") ? p.get("attach").asText() : "user";
        if (attach.equals("user")) {
            return new PolicySpec(name, text, Attachment.USER, null);
        }
        if (attach.equals("inline")) {
            return new PolicySpec(name, text, Attachment.INLINE_USER, null);
        }
        if (attach.equals("boundary")) {
            return new PolicySpec(name, text, Attachment.BOUNDARY, null);
        }
        if (attach.startsWith("group:")) {
            return new PolicySpec(name, text, Attachment.GROUP, attach.substring("group:".length()));
        }
        if (attach.startsWith("inline-group:")) {
            return new PolicySpec(name, text, Attachment.INLINE_GROUP, attach.substring("inline-group:".length()));
        }
        throw new IllegalArgumentException("Unknown attach " + attach);
    }

    /** @param groups the groups the user is in */
    public record Request(String principal, Session session, long mfaAgeSeconds, String action, String resource,
            Map<String, List<String>> context, List<String> groups) {
        public boolean root() {
            return principal.equals("root");
        }

        /** The caller as identity-service would put it in a token (see TestTokens). */
        public Caller caller(Instant now) {
            if (root()) {
                return new Caller("arn:aws:iam::" + ACCOUNT + ":root", PrincipalType.ROOT, ACCOUNT, ACCOUNT, "root",
                        Optional.of(false), Optional.empty(), now, null);
            }
            return new Caller("arn:aws:iam::" + ACCOUNT + ":user/" + principal, PrincipalType.USER, ACCOUNT,
                    "AIDA" + Integer.toHexString(principal.hashCode()).toUpperCase(), principal, session.mfaPresent,
                    mfaTime(now), now, null);
        }

        public Optional<Instant> mfaTime(Instant now) {
            return session.mfaPresent.orElse(false) ? Optional.of(now.minusSeconds(mfaAgeSeconds)) : Optional.empty();
        }
    }

    public record Matched(String policyArn, String sid, int index, String effect) {
    }

    /**
     * @param errorMessage text the error's message must contain (e.g. the problem and its
     *     {@code (line L, column C)}), or null
     */
    public record Expectation(String decision, List<Matched> matchedStatements, List<String> missingContextValues,
            String error, String errorMessage) {
    }

    public record Case(String file, String description, List<PolicySpec> policies, Request request,
            Expectation expect) {
        @Override
        public String toString() {
            return file + ": " + description;
        }
    }

    private ConformanceCorpus() {
    }

    public static List<Case> load() {
        Path dir = directory();
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode root = JSON.readTree(file.toFile());
                for (JsonNode c : root.get("cases")) {
                    cases.add(parseCase(file.getFileName().toString(), c));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /** The text of a named policy file, exactly as stored. */
    public static String policyFile(String name) {
        try (InputStream in = ConformanceCorpus.class.getResourceAsStream("/conformance/policies/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("No policy file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        URL url = ConformanceCorpus.class.getResource("/conformance");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Case parseCase(String file, JsonNode c) throws IOException {
        List<PolicySpec> policies = new ArrayList<>();
        for (JsonNode p : c.get("policies")) {
            if (p.isTextual()) {
                policies.add(new PolicySpec(p.asText(), policyFile(p.asText())));
            } else if (p.has("file")) {
                policies.add(withAttachment(p.get("name").asText(), policyFile(p.get("file").asText()), p));
            } else if (p.has("text")) {
                policies.add(withAttachment(p.get("name").asText(), p.get("text").asText(), p));
            } else {
                policies.add(withAttachment(p.get("name").asText(),
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(p.get("document")), p));
            }
        }
        JsonNode r = c.get("request");
        Map<String, List<String>> context = new LinkedHashMap<>();
        if (r.has("context")) {
            r.get("context").fields().forEachRemaining(e -> {
                List<String> values = new ArrayList<>();
                e.getValue().forEach(v -> values.add(v.asText()));
                context.put(e.getKey(), values);
            });
        }
        List<String> groups = new ArrayList<>();
        r.path("groups").forEach(g -> groups.add(g.asText()));
        Request request = new Request(r.get("principal").asText(),
                r.has("session") ? Session.of(r.get("session").asText()) : Session.CONSOLE_PASSWORD,
                r.path("mfaAgeSeconds").asLong(0), r.get("action").asText(), r.get("resource").asText(), context,
                groups);
        JsonNode e = c.get("expect");
        List<Matched> matched = new ArrayList<>();
        for (JsonNode m : e.path("matchedStatements")) {
            String source = m.has("source") ? m.get("source").asText()
                    : "arn:aws:iam::" + ACCOUNT + ":policy/" + m.get("policy").asText();
            matched.add(new Matched(source, m.get("sid").asText(), m.get("index").asInt(), m.get("effect").asText()));
        }
        List<String> missing = null;
        if (e.has("missingContextValues")) {
            missing = new ArrayList<>();
            for (JsonNode k : e.get("missingContextValues")) {
                missing.add(k.asText());
            }
        }
        Expectation expect = new Expectation(e.has("decision") ? e.get("decision").asText() : null, matched, missing,
                e.has("error") ? e.get("error").asText() : null,
                e.has("errorMessage") ? e.get("errorMessage").asText() : null);
        return new Case(file, c.get("description").asText(), policies, request, expect);
    }
}
