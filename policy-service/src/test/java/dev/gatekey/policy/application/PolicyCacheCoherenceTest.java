package dev.gatekey.policy.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.Authorizer;
import dev.gatekey.policy.domain.Decision;
import dev.gatekey.policy.domain.RequestContextFactory;
import dev.gatekey.policy.persistence.ManagedPolicyRecord;
import dev.gatekey.policy.persistence.PolicyRepository;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two policy caches over the same database stand for two replicas: a change made through one
 * replica's application services is seen by the other replica's cache on its very next
 * decision, with no stale allow in between; an unchanged account reuses the compiled set.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PolicyCacheCoherenceTest {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;
    private static final String ALLOW = """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}}""";
    private static final String DENY = """
            {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "iam:GetUser", "Resource": "*"}}""";

    @Inject
    PolicyRepository repository;

    @Inject
    PolicyManagement management;

    @Inject
    PrincipalManagement principals;

    private PrincipalPolicyCache replica() {
        ParsedPolicyCache documents = new ParsedPolicyCache();
        documents.repository = repository;
        return new PrincipalPolicyCache(repository, documents);
    }

    private static Caller root() {
        return new Caller("arn:aws:iam::" + ACCOUNT + ":root", PrincipalType.ROOT, ACCOUNT, ACCOUNT, "root",
                Optional.of(false), Optional.empty(), Instant.now(), null);
    }

    private static Decision decide(PrincipalPolicyCache cache, String user) {
        Caller caller = new Caller("arn:aws:iam::" + ACCOUNT + ":user/" + user, PrincipalType.USER, ACCOUNT,
                "AIDAEXAMPLE", user, Optional.of(true), Optional.of(Instant.now()), Instant.now(), null);
        var compiled = cache.forUser(ACCOUNT, user);
        var context = RequestContextFactory.fromCaller(caller, "iam:GetUser", "arn:aws:iam::" + ACCOUNT + ":user/bob",
                Map.of(), Instant.now());
        AuthorizationResult r = Authorizer.authorize(context, compiled.identity(), compiled.boundary());
        return r.decision();
    }

    @Test
    void everyChangeIsSeenByEveryReplicaAtOnce() {
        PrincipalPolicyCache a = replica();
        PrincipalPolicyCache b = replica();
        String user = "coherent-" + UUID.randomUUID().toString().substring(0, 8);
        String group = user + "-group";
        var who = principals.user(root(), user, "/");
        ManagedPolicyRecord p = management.createPolicy(root(), user + "-allow", "/", ALLOW, "");

        assertEquals(Decision.IMPLICIT_DENY, decide(a, user));
        assertEquals(Decision.IMPLICIT_DENY, decide(b, user));
        principals.attachPolicy(root(), who, p.arn());
        assertEquals(Decision.ALLOWED, decide(a, user));
        assertEquals(Decision.ALLOWED, decide(b, user));

        // A new default version that denies: both replicas deny on their next decision.
        management.createPolicyVersion(root(), p.arn(), DENY, true);
        assertEquals(Decision.EXPLICIT_DENY, decide(a, user));
        assertEquals(Decision.EXPLICIT_DENY, decide(b, user));
        management.setDefaultPolicyVersion(root(), p.arn(), "v1");
        assertEquals(Decision.ALLOWED, decide(b, user));
        assertEquals(Decision.ALLOWED, decide(a, user));

        // Inline policy, group membership, boundary: each change seen at once by both.
        principals.putInlinePolicy(root(), who, "Deny", DENY);
        assertEquals(Decision.EXPLICIT_DENY, decide(a, user));
        assertEquals(Decision.EXPLICIT_DENY, decide(b, user));
        principals.deleteInlinePolicy(root(), who, "Deny");
        assertEquals(Decision.ALLOWED, decide(a, user));
        var g = principals.group(root(), group, "/");
        principals.putInlinePolicy(root(), g, "GroupDeny", DENY);
        assertEquals(Decision.ALLOWED, decide(b, user));
        principals.setUserGroups(root(), who, java.util.List.of(group), "", group, "/");
        assertEquals(Decision.EXPLICIT_DENY, decide(a, user));
        assertEquals(Decision.EXPLICIT_DENY, decide(b, user));
        principals.setUserGroups(root(), who, java.util.List.of(), "", group, "/");
        assertEquals(Decision.ALLOWED, decide(b, user));
        ManagedPolicyRecord boundary = management.createPolicy(root(), user + "-boundary", "/",
                ALLOW.replace("iam:GetUser", "iam:ListUsers"), "");
        principals.putUserPermissionsBoundary(root(), who, boundary.arn());
        assertEquals(Decision.IMPLICIT_DENY, decide(a, user));
        assertEquals(Decision.IMPLICIT_DENY, decide(b, user));
        principals.detachPolicy(root(), who, p.arn());
        principals.deleteUserPermissionsBoundary(root(), who);
        assertEquals(Decision.IMPLICIT_DENY, decide(a, user));
        assertEquals(Decision.IMPLICIT_DENY, decide(b, user));
    }

    @Test
    void anUnchangedAccountReusesTheCompiledSet() {
        PrincipalPolicyCache a = replica();
        String user = "reuse-" + UUID.randomUUID().toString().substring(0, 8);
        var first = a.forUser(ACCOUNT, user);
        var second = a.forUser(ACCOUNT, user);
        assertEquals(first, second);
        assertEquals(first.generation(), repository.generation(ACCOUNT));
        principals.putInlinePolicy(root(), principals.user(root(), user, "/"), "P", ALLOW);
        var third = a.forUser(ACCOUNT, user);
        assertNotEquals(first.generation(), third.generation());
        assertEquals(1, third.identity().statementCount());
    }
}
