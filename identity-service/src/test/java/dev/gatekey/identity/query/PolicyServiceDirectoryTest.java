package dev.gatekey.identity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.identity.application.PolicyDirectory.PolicyUse;
import dev.gatekey.identity.grpc.PolicyServiceDirectory;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.policy.v1.GetGroupPolicySummaryRequest;
import dev.gatekey.policy.v1.GetGroupPolicySummaryResponse;
import dev.gatekey.policy.v1.GetUserPolicySummaryRequest;
import dev.gatekey.policy.v1.GetUserPolicySummaryResponse;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
        assertEquals(new PolicyUse(1, 2), directory.userPoliciesBeforeDelete(ROOT, "alice", "/eng/"));
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
        assertEquals(new PolicyUse(0, 1), directory.groupPoliciesBeforeDelete(ROOT, "devs", "/"));
        assertEquals("iam:DeleteGroup", ((GetGroupPolicySummaryRequest) policyService.last("GetGroupPolicySummary"))
                .getForAction());
    }

    @Test
    void noAnswerFromPolicyServiceIsAnErrorNeverZeroPolicies() {
        policyService.fail("GetUserPolicySummary", Status.UNAVAILABLE.asRuntimeException());
        assertEquals("ServiceUnavailable", assertThrows(GatekeyException.class,
                () -> directory.userPoliciesBeforeDelete(ROOT, "alice", "/")).code());
        policyService.fail("GetGroupPolicySummary", new dev.gatekey.platform.authz.AccessDeniedException("denied"));
        assertEquals("AccessDenied", assertThrows(GatekeyException.class,
                () -> directory.groupPoliciesBeforeDelete(ROOT, "devs", "/")).code());
    }
}
