package dev.gatekey.policy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.policy.conformance.ConformanceCorpus.Case;
import dev.gatekey.policy.conformance.ConformanceCorpus.Matched;
import dev.gatekey.policy.conformance.ConformanceCorpus.PolicySpec;
import dev.gatekey.policy.domain.ApplicablePolicy;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.Authorizer;
import dev.gatekey.policy.domain.Effect;
import dev.gatekey.policy.domain.PolicyDocument;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.domain.PolicySet;
import dev.gatekey.policy.domain.PolicyType;
import dev.gatekey.policy.domain.RequestContextFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs every conformance case through the parser and the {@link Authorizer} directly. */
class DomainConformanceTest {

    @Test
    void theCorpusIsLargeAndCoversEveryMfaRow() {
        List<Case> cases = ConformanceCorpus.load();
        assertTrue(cases.size() >= 80, "conformance cases: " + cases.size());
        long beyondMfa = cases.stream().filter(c -> !c.file().equals("mfa-policies.json")).count();
        assertTrue(beyondMfa >= 150, "cases over operators and matching rules: " + beyondMfa);
        for (ConformanceCorpus.Session s : ConformanceCorpus.Session.values()) {
            assertTrue(cases.stream().anyMatch(c -> c.request().session() == s
                    && c.policies().stream().anyMatch(p -> p.name().equals("aws-tutorial-force-mfa"))), s.name());
        }
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        return ConformanceCorpus.load().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> run(c)));
    }

    private static PolicyDocument parse(PolicySpec p) {
        return switch (p.attachment()) {
            case INLINE_USER -> PolicyParser.parseInlinePolicy(p.text(), "user", "alice",
                    PolicyParser.USER_POLICY_MAX_CHARS);
            case INLINE_GROUP -> PolicyParser.parseInlinePolicy(p.text(), "group", p.group(),
                    PolicyParser.GROUP_POLICY_MAX_CHARS);
            default -> PolicyParser.parseManagedPolicy(p.text());
        };
    }

    private static PolicyType type(PolicySpec p) {
        return switch (p.attachment()) {
            case INLINE_USER -> PolicyType.USER;
            case INLINE_GROUP -> PolicyType.GROUP;
            default -> PolicyType.USER_MANAGED;
        };
    }

    static void run(Case c) {
        Instant now = Instant.now();
        List<ApplicablePolicy> policies = new ArrayList<>();
        try {
            for (PolicySpec p : c.policies()) {
                parse(p); // every policy is validated, also those that do not apply
            }
            for (PolicySpec p : ConformanceCorpus.identityOrder(c)) {
                policies.add(new ApplicablePolicy(p.sourcePolicyId(), type(p), parse(p)));
            }
            PolicySet boundary = null;
            var b = ConformanceCorpus.boundary(c);
            if (b.isPresent()) {
                boundary = PolicySet.of(List.of(new ApplicablePolicy(b.get().arn(), parse(b.get()))));
            }
            var context = RequestContextFactory.fromCaller(c.request().caller(now), c.request().action(),
                    c.request().resource(), c.request().context(), now);
            AuthorizationResult result = Authorizer.authorize(context, PolicySet.of(policies), boundary);
            if (c.expect().error() != null) {
                fail("expected " + c.expect().error() + " but got " + result.decision());
            }
            assertEquals(c.expect().decision(), result.decision().name(), "decision");
            List<Matched> actual = result.matchedStatements().stream()
                    .map(m -> new Matched(m.sourcePolicyId(), m.sid(), m.statementIndex(),
                            m.effect() == Effect.ALLOW ? "Allow" : "Deny"))
                    .toList();
            assertEquals(c.expect().matchedStatements(), actual, "matched statements");
            if (c.expect().missingContextValues() != null) {
                assertEquals(c.expect().missingContextValues(), result.missingContextValues(), "missing context values");
            }
        } catch (GatekeyException e) {
            assertNotNull(c.expect().error(), "unexpected " + e.code() + ": " + e.getMessage());
            assertEquals(c.expect().error(), e.code(), e.getMessage());
            if (c.expect().errorMessage() != null) {
                assertTrue(e.getMessage().contains(c.expect().errorMessage()),
                        "message '" + e.getMessage() + "' lacks '" + c.expect().errorMessage() + "'");
            }
        }
    }
}
