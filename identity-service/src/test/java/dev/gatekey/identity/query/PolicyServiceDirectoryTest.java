package dev.gatekey.identity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.identity.application.PolicyDirectory.PolicyUse;
import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.identity.grpc.PolicyServiceDirectory;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.policy.v1.DeleteBoundaryOfDeletedUserRequest;
import dev.gatekey.policy.v1.GetGroupPolicySummaryRequest;
import dev.gatekey.policy.v1.GetGroupPolicySummaryResponse;
import dev.gatekey.policy.v1.GetUserPolicySummaryRequest;
import dev.gatekey.policy.v1.GetUserPolicySummaryResponse;
import dev.gatekey.policy.v1.PermissionsBoundary;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DeleteUser's and DeleteGroup's question to policy-service: the summary RPC authorized as the
 * delete action itself, attached and inline policies told apart, and no answer is an error.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PolicyServiceDirectoryTest {
    static final Caller ROOT = new Caller("arn:aws:iam::123456789012:root", PrincipalType.ROOT, "123456789012", null,
            "", Optional.empty(), Optional.empty(), Instant.now(), TestTokens.rootToken());

    @Inject
    PolicyServiceDirectory directory;

    @Inject
    PeerDeadlines deadlines;

    @Inject
    @GrpcService
    ScriptedPolicyService policyService;

    @BeforeEach
    void setUp() {
        policyService.reset();
    }

    @Test
    void deleteUserAsksTheUserSummaryAsIamDeleteUser() {
        policyService.answer("GetUserPolicySummary", GetUserPolicySummaryResponse.newBuilder()
                .setAttachedPolicyCount(1).setInlinePolicyCount(2).build());
        assertEquals(new PolicyUse(1, 2, null), directory.userPolicies(ROOT, "alice", "/eng/", "iam:DeleteUser"));
        GetUserPolicySummaryRequest sent = policyService.last("GetUserPolicySummary");
        assertEquals("iam:DeleteUser", sent.getForAction());
        assertEquals("alice", sent.getUserName());
        assertEquals("/eng/", sent.getUserPath());
        assertEquals(ROOT.principalArn(), policyService.calls().get(0).callerArn());
    }

    @Test
    void deleteGroupAsksTheGroupSummaryAsIamDeleteGroup() {
        policyService.answer("GetGroupPolicySummary", GetGroupPolicySummaryResponse.newBuilder()
                .setInlinePolicyCount(1).build());
        assertEquals(new PolicyUse(0, 1, null), directory.groupPoliciesBeforeDelete(ROOT, "devs", "/"));
        assertEquals("iam:DeleteGroup", ((GetGroupPolicySummaryRequest) policyService.last("GetGroupPolicySummary"))
                .getForAction());
    }

    @Test
    void getUserReadsTheBoundaryAndDeleteUserRemovesIt() {
        policyService.answer("GetUserPolicySummary", GetUserPolicySummaryResponse.newBuilder()
                .setPermissionsBoundary(PermissionsBoundary.newBuilder()
                        .setPermissionsBoundaryType("PermissionsBoundaryPolicy")
                        .setPermissionsBoundaryArn("arn:aws:iam::123456789012:policy/Boundary"))
                .build());
        assertEquals(new PolicyUse(0, 0, "arn:aws:iam::123456789012:policy/Boundary"),
                directory.userPolicies(ROOT, "alice", "/", "iam:GetUser"));
        assertEquals("iam:GetUser", ((GetUserPolicySummaryRequest) policyService.last("GetUserPolicySummary"))
                .getForAction());
    }

    @Test
    void deleteUserRemovesTheBoundaryAsIdentityServiceItself() {
        directory.deleteBoundaryOfDeletedUser("123456789012", "alice");
        DeleteBoundaryOfDeletedUserRequest deleted = policyService.last("DeleteBoundaryOfDeletedUser");
        assertEquals("123456789012", deleted.getAccountId());
        assertEquals("alice", deleted.getUserName());
        // not the caller's token: DeleteUser needs iam:DeleteUser only, which identity-service checked
        assertEquals("gatekey:service/identity-service", policyService.calls().get(0).callerArn());
        policyService.fail("DeleteBoundaryOfDeletedUser", Status.UNAVAILABLE.asRuntimeException());
        assertEquals("ServiceUnavailable", assertThrows(GatekeyException.class,
                () -> directory.deleteBoundaryOfDeletedUser("123456789012", "alice")).code());
    }

    @Test
    void aPeerPastItsConfiguredDeadlineIsUnavailableAndMayStillHaveActed() {
        Duration deadline = deadlines.policy().deadline();
        assertEquals(Duration.ofSeconds(5), deadline, "%test.gatekey.peers.policy.deadline");
        assertEquals(Duration.ofSeconds(10), deadlines.mfa().deadline(), "the default");
        policyService.delay("GetUserPolicySummary", deadline.plusSeconds(2));
        long started = System.nanoTime();
        GatekeyException e = assertThrows(GatekeyException.class,
                () -> directory.userPolicies(ROOT, "alice", "/", "iam:DeleteUser"));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertEquals("ServiceUnavailable", e.code());
        assertTrue(e.getMessage().contains("policy-service did not answer in time; it may still have taken effect"),
                e.getMessage());
        assertTrue(waited.compareTo(deadline.minusMillis(100)) >= 0 && waited.compareTo(deadline.plusSeconds(2)) < 0,
                "waited " + waited);
    }

    @Test
    void noAnswerFromPolicyServiceIsAnErrorNeverZeroPolicies() {
        policyService.fail("GetUserPolicySummary", Status.UNAVAILABLE.asRuntimeException());
        assertEquals("ServiceUnavailable", assertThrows(GatekeyException.class,
                () -> directory.userPolicies(ROOT, "alice", "/", "iam:DeleteUser")).code());
        policyService.fail("GetGroupPolicySummary", new dev.gatekey.platform.authz.AccessDeniedException("denied"));
        assertEquals("AccessDenied", assertThrows(GatekeyException.class,
                () -> directory.groupPoliciesBeforeDelete(ROOT, "devs", "/")).code());
    }
}
