package dev.gatekey.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.policy.conformance.ConformanceCorpus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds thousands of mutated policy documents (character-level edits of real policies, and
 * tree-level replacements of elements by values of every JSON type) to the parser, and every
 * document that parses to the evaluator: the parser may only ever answer with
 * MalformedPolicyDocument (or LimitExceeded for the size quota), the evaluator never fails.
 * Deterministic: a fixed seed.
 */
class PolicyParserFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] SEEDS = {"aws-tutorial-force-mfa", "aws-self-manage-mfa-and-creds",
        "aws-deny-all-users-not-using-mfa", "allow-get-user-any", "deny-not-iam-bool-without-ifexists"};
    private static final String SPECIAL = "{}[]\",:\\${}*?/ \n\t\u0000\u00e9\ud83d\ude00";
    private static final String[] WORDS = {"Allow", "Deny", "Version", "2012-10-17", "2008-10-17", "Statement",
        "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Principal", "Sid", "*",
        "iam:*", "arn:aws:iam::*:user/${aws:username}", "${aws:username, 'x'}", "${*}", "${", "StringLike",
        "ForAllValues:StringEquals", "ForAnyValue:NumericLessThanIfExists", "Null", "BoolIfExists",
        "IpAddress", "10.0.0.0/8", "::1/200", "300.1.1.1", "1e99999", "-0", "2024-02-30T00:00:00Z",
        "aws:SourceIp", "aws:MultiFactorAuthAge", "arn:aws", "arn:aws:iam::123456789012:user/*?", "DateLessThan",
        "BinaryEquals", "QmFzZTY0", "!!!", "ArnLike"};

    private static RequestContext context(String action) {
        return new RequestContext("arn:aws:iam::123456789012:user/alice", PrincipalType.USER, "123456789012", action,
                "arn:aws:iam::123456789012:user/alice", Map.of("aws:username", List.of("alice"),
                        "aws:MultiFactorAuthPresent", List.of("false"), "aws:MultiFactorAuthAge", List.of("30"),
                        "aws:SourceIp", List.of("10.1.2.3"), "aws:CurrentTime", List.of("2026-01-01T00:00:00Z"),
                        "aws:TagKeys", List.of("a", "b")));
    }

    /** Parses and, when valid, evaluates; fails on anything but the allowed errors. */
    private static boolean tryDocument(String text) {
        PolicyDocument doc;
        try {
            doc = PolicyParser.parseManagedPolicy(text);
        } catch (MalformedPolicyDocument e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return false;
        } catch (GatekeyException e) {
            assertEquals("LimitExceeded", e.code(), e.getMessage());
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            fail("Parser threw " + e + " for:\n" + text, e);
            return false;
        }
        try {
            for (String action : List.of("iam:GetUser", "iam:ChangePassword", "s3:GetObject")) {
                Authorizer.authorize(context(action), List.of(new ApplicablePolicy("p", doc)));
            }
        } catch (RuntimeException e) {
            fail("Evaluator threw " + e + " for:\n" + text, e);
        }
        return true;
    }

    @Test
    void characterLevelMutationsOnlyEverYieldValidationErrors() {
        Random random = new Random(20261128);
        int valid = 0;
        int total = 0;
        for (String seed : SEEDS) {
            String text = ConformanceCorpus.policyFile(seed);
            for (int i = 0; i < 1000; i++) {
                StringBuilder s = new StringBuilder(text);
                int edits = 1 + random.nextInt(4);
                for (int e = 0; e < edits && s.length() > 0; e++) {
                    int at = random.nextInt(s.length());
                    switch (random.nextInt(6)) {
                        case 0 -> s.deleteCharAt(at);
                        case 1 -> s.insert(at, SPECIAL.charAt(random.nextInt(SPECIAL.length())));
                        case 2 -> s.setLength(at);
                        case 3 -> s.insert(at, WORDS[random.nextInt(WORDS.length)]);
                        case 4 -> {
                            int end = Math.min(s.length(), at + 1 + random.nextInt(40));
                            s.insert(random.nextInt(s.length()), s.substring(at, end));
                        }
                        default -> s.replace(at, Math.min(s.length(), at + 1 + random.nextInt(10)),
                                "\"" + WORDS[random.nextInt(WORDS.length)] + "\"");
                    }
                }
                total++;
                if (tryDocument(s.toString())) {
                    valid++;
                }
            }
        }
        assertEquals(5000, total);
        assertTrue(valid > 0 && valid < total, "valid " + valid + " of " + total);
    }

    @Test
    void treeLevelMutationsOnlyEverYieldValidationErrors() throws Exception {
        Random random = new Random(42);
        int valid = 0;
        for (String seed : SEEDS) {
            JsonNode original = JSON.readTree(ConformanceCorpus.policyFile(seed));
            for (int i = 0; i < 600; i++) {
                JsonNode doc = original.deepCopy();
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    mutate(doc, random);
                }
                if (tryDocument(JSON.writeValueAsString(doc))) {
                    valid++;
                }
            }
        }
        assertTrue(valid > 0, "some mutations stay valid");
    }

    /** Replaces a random value somewhere in the tree by a random value of any JSON type. */
    private static void mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = o.fieldNames();
            it.forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(WORDS[random.nextInt(WORDS.length)], randomValue(random, 3));
                default -> o.set(name, randomValue(random, 3));
            }
        } else if (target instanceof ArrayNode a && a.size() > 0) {
            int i = random.nextInt(a.size());
            if (random.nextBoolean()) {
                a.remove(i);
            } else {
                a.set(i, randomValue(random, 3));
            }
        }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.forEach(child -> collect(child, out));
        }
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> random.nextBoolean() ? NODES.numberNode(random.nextInt()) : NODES.numberNode(random.nextDouble());
            case 3, 4 -> NODES.textNode(WORDS[random.nextInt(WORDS.length)]);
            case 5 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    a.add(randomValue(random, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    o.set(WORDS[random.nextInt(WORDS.length)], randomValue(random, depth - 1));
                }
                yield o;
            }
        };
    }

    @Test
    void deepNestingIsRefusedWithAPosition() {
        String deep = "{\"Version\":\"2012-10-17\",\"Statement\":" + "[".repeat(60_000) + "]".repeat(60_000) + "}";
        MalformedPolicyDocument e = assertThrows(MalformedPolicyDocument.class, () -> PolicyParser.parse(deep));
        assertTrue(e.getMessage().contains("nesting deeper than 64"), e.getMessage());
        String deepCondition = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"StringEquals\":{\"a:b\":" + "{\"x\":".repeat(200) + "1" + "}".repeat(200) + "}}}}";
        assertThrows(MalformedPolicyDocument.class, () -> PolicyParser.parse(deepCondition));
    }

    @Test
    void oversizedDocumentsAreRefused() {
        String huge = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Sid\":\""
                + "A".repeat(200_000) + "\"}}";
        assertThrows(MalformedPolicyDocument.class, () -> PolicyParser.parse(huge));
        GatekeyException e = assertThrows(GatekeyException.class, () -> PolicyParser.parseManagedPolicy(
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Sid\":\""
                        + "A".repeat(6200) + "\"}}"));
        assertEquals("LimitExceeded", e.code());
    }

    @Test
    void invalidArnsAndCidrsAreRefused() {
        for (String resource : List.of("arn:aws", "arn:aws:iam::123456789012", "iam:user/x", "", "arn")) {
            String doc = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"" + resource + "\"}}";
            assertThrows(MalformedPolicyDocument.class, () -> PolicyParser.parse(doc), resource);
        }
        for (String cidr : List.of("10.0.0.0/33", "300.1.1.1", "10.0.0/8", "::1/129", "1.2.3.4/-1", "host.example",
                "10.0.0.0/8/8", "fe80::1::2")) {
            String doc = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                    + "{\"IpAddress\":{\"aws:SourceIp\":\"" + cidr + "\"}}}}";
            MalformedPolicyDocument e = assertThrows(MalformedPolicyDocument.class, () -> PolicyParser.parse(doc),
                    cidr);
            assertTrue(e.getMessage().contains(cidr), e.getMessage());
        }
        for (String cidr : List.of("10.0.0.0/8", "2001:db8::/32", "::1", "192.0.2.1")) {
            PolicyParser.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                    + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"" + cidr + "\"}}}}");
        }
    }
}
