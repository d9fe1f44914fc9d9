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
import dev.gatekey.policy.domain.PolicyParser;
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
        for (ConformanceCorpus.Session s : ConformanceCorpus.Session.values()) {
            assertTrue(cases.stream().anyMatch(c -> c.request().session() == s
                    && c.policies().stream().anyMatch(p -> p.name().equals("aws-tutorial-force-mfa"))), s.name());
        }
    }

    @TestFactory
    Stream<DynamicTest> conformance() {
        return ConformanceCorpus.load().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> run(c)));
    }

    static void run(Case c) {
        Instant now = Instant.now();
        List<ApplicablePolicy> policies = new ArrayList<>();
        try {
            for (PolicySpec p : c.policies()) {
                policies.add(new ApplicablePolicy(p.arn(), PolicyParser.parseManagedPolicy(p.text())));
            }
            var context = RequestContextFactory.fromCaller(c.request().caller(now), c.request().action(),
                    c.request().resource(), c.request().context(), now);
            AuthorizationResult result = Authorizer.authorize(context, policies);
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
        }
    }
}
