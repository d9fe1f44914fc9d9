package dev.gatekey.policy.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.policy.v1.*;
import dev.gatekey.policy.v1.PolicyServiceGrpc.PolicyServiceBlockingStub;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * The policy API over gRPC on a real PostgreSQL: versions, deletion rules, tags, user and group
 * attachments, inline policies, permissions boundaries, the membership mirror, renames, the
 * simulator and the account summary, each with AWS's errors, and each change visible to
 * Authorize at once. Every test uses names of its own.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyApiGrpcTest {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;
    private static final String ALLOW_GET_USER = """
            {"Version": "2012-10-17", "Statement": {"Sid": "Get", "Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}}""";
    private static final String DENY_GET_USER = """
            {"Version": "2012-10-17", "Statement": {"Sid": "NoGet", "Effect": "Deny", "Action": "iam:GetUser", "Resource": "*"}}""";
    private static final String ALLOW_ALL = """
            {"Version": "2012-10-17", "Statement": {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}}""";

    private ManagedChannel channel;
    private PolicyServiceBlockingStub stub;
    private PolicyServiceBlockingStub root;

    @BeforeAll
    void setUp() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19093).usePlaintext().build();
        stub = PolicyServiceGrpc.newBlockingStub(channel);
        root = BearerToken.attach(stub, TestTokens.rootToken());
    }

    @AfterAll
    void tearDown() {
        channel.shutdownNow();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String reason(Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        return GrpcErrors.reason(e);
    }

    private Policy create(String name, String document) {
        return root.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(name).setPolicyDocument(document)
                .build()).getPolicy();
    }

    private void attach(String user, Policy p) {
        root.attachUserPolicy(AttachUserPolicyRequest.newBuilder().setUserName(user).setPolicyArn(p.getArn()).build());
    }

    private Decision decide(String user, String action) {
        PolicyServiceBlockingStub as = BearerToken.attach(stub,
                TestTokens.userToken(user, Optional.of(true), Optional.of(java.time.Instant.now())));
        return as.authorize(AuthorizeRequest.newBuilder().setAction(action)
                .setResource("arn:aws:iam::" + ACCOUNT + ":user/bob").build()).getDecision();
    }

    @Test
    void versionsFollowAwsRulesAndTheDefaultDecidesAtOnce() {
        String user = unique("ver");
        Policy p = create(unique("Versioned"), ALLOW_GET_USER);
        attach(user, p);
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:GetUser"));
        var v2 = root.createPolicyVersion(CreatePolicyVersionRequest.newBuilder().setPolicyArn(p.getArn())
                .setPolicyDocument(DENY_GET_USER).build()).getPolicyVersion();
        assertEquals("v2", v2.getVersionId());
        assertFalse(v2.getIsDefaultVersion());
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:GetUser"));
        root.setDefaultPolicyVersion(SetDefaultPolicyVersionRequest.newBuilder().setPolicyArn(p.getArn())
                .setVersionId("v2").build());
        assertEquals(Decision.DECISION_EXPLICIT_DENY, decide(user, "iam:GetUser"));
        var v3 = root.createPolicyVersion(CreatePolicyVersionRequest.newBuilder().setPolicyArn(p.getArn())
                .setPolicyDocument(ALLOW_ALL).setSetAsDefault(true).build()).getPolicyVersion();
        assertTrue(v3.getIsDefaultVersion());
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:CreateUser"));
        assertEquals("v3", root.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(p.getArn()).build()).getPolicy()
                .getDefaultVersionId());
        var list = root.listPolicyVersions(ListPolicyVersionsRequest.newBuilder().setPolicyArn(p.getArn()).build());
        assertEquals(List.of("v3", "v2", "v1"), list.getVersionsList().stream().map(PolicyVersion::getVersionId).toList());
        assertTrue(list.getVersionsList().stream().allMatch(v -> v.getDocument().isEmpty()));
        assertEquals(DENY_GET_USER, root.getPolicyVersion(GetPolicyVersionRequest.newBuilder().setPolicyArn(p.getArn())
                .setVersionId("v2").build()).getPolicyVersion().getDocument());
        for (int i = 0; i < 2; i++) {
            root.createPolicyVersion(CreatePolicyVersionRequest.newBuilder().setPolicyArn(p.getArn())
                    .setPolicyDocument(ALLOW_GET_USER).build());
        }
        assertEquals("LimitExceeded", reason(() -> root.createPolicyVersion(CreatePolicyVersionRequest.newBuilder()
                .setPolicyArn(p.getArn()).setPolicyDocument(ALLOW_GET_USER).build())));
        assertEquals("DeleteConflict", reason(() -> root.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder()
                .setPolicyArn(p.getArn()).setVersionId("v3").build())));
        assertEquals("MalformedPolicyDocument", reason(() -> root.createPolicyVersion(CreatePolicyVersionRequest
                .newBuilder().setPolicyArn(p.getArn()).setPolicyDocument("{\"Statement\": []}").build())));
        assertEquals("NoSuchEntity", reason(() -> root.setDefaultPolicyVersion(SetDefaultPolicyVersionRequest
                .newBuilder().setPolicyArn(p.getArn()).setVersionId("v9").build())));
        // Deleting the policy: not while it has other versions, not while attached.
        assertEquals("DeleteConflict", reason(() -> root.deletePolicy(DeletePolicyRequest.newBuilder()
                .setPolicyArn(p.getArn()).build())));
        for (String v : List.of("v1", "v2", "v4", "v5")) {
            root.deletePolicyVersion(DeletePolicyVersionRequest.newBuilder().setPolicyArn(p.getArn()).setVersionId(v)
                    .build());
        }
        assertEquals("DeleteConflict", reason(() -> root.deletePolicy(DeletePolicyRequest.newBuilder()
                .setPolicyArn(p.getArn()).build())));
        root.detachUserPolicy(DetachUserPolicyRequest.newBuilder().setUserName(user).setPolicyArn(p.getArn()).build());
        assertEquals(Decision.DECISION_IMPLICIT_DENY, decide(user, "iam:GetUser"));
        assertEquals("NoSuchEntity", reason(() -> root.detachUserPolicy(DetachUserPolicyRequest.newBuilder()
                .setUserName(user).setPolicyArn(p.getArn()).build())));
        root.deletePolicy(DeletePolicyRequest.newBuilder().setPolicyArn(p.getArn()).build());
        assertEquals("NoSuchEntity", reason(() -> root.getPolicy(GetPolicyRequest.newBuilder()
                .setPolicyArn(p.getArn()).build())));
    }

    @Test
    void tagsAndListingWithPaging() {
        String name = unique("Tagged");
        Policy p = root.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(name).setPath("/tags/")
                .setPolicyDocument(ALLOW_GET_USER).addTags(Tag.newBuilder().setKey("team").setValue("blue"))
                .build()).getPolicy();
        assertEquals(1, p.getTagsCount());
        assertTrue(p.getIsAttachable());
        root.tagPolicy(TagPolicyRequest.newBuilder().setPolicyArn(p.getArn())
                .addTags(Tag.newBuilder().setKey("Team").setValue("red"))
                .addTags(Tag.newBuilder().setKey("cost").setValue("1")).build());
        var tags = root.listPolicyTags(ListPolicyTagsRequest.newBuilder().setPolicyArn(p.getArn()).build());
        assertEquals(List.of("Team=red", "cost=1"),
                tags.getTagsList().stream().map(t -> t.getKey() + "=" + t.getValue()).toList());
        root.untagPolicy(UntagPolicyRequest.newBuilder().setPolicyArn(p.getArn()).addTagKeys("team").build());
        assertEquals(1, root.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(p.getArn()).build()).getPolicy()
                .getTagsCount());
        TagPolicyRequest.Builder many = TagPolicyRequest.newBuilder().setPolicyArn(p.getArn());
        for (int i = 0; i < 50; i++) {
            many.addTags(Tag.newBuilder().setKey("k" + i).setValue("v"));
        }
        assertEquals("LimitExceeded", reason(() -> root.tagPolicy(many.build())));
        assertEquals("ValidationError", reason(() -> root.tagPolicy(TagPolicyRequest.newBuilder()
                .setPolicyArn(p.getArn()).addTags(Tag.newBuilder().setKey("aws:x").setValue("v")).build())));

        create(unique("Tagged2"), ALLOW_GET_USER);
        List<String> names = new ArrayList<>();
        String marker = "";
        do {
            var page = root.listPolicies(ListPoliciesRequest.newBuilder().setScope(PolicyScope.POLICY_SCOPE_LOCAL)
                    .setMaxItems(1).setMarker(marker).build());
            assertTrue(page.getPoliciesCount() <= 1);
            page.getPoliciesList().forEach(x -> names.add(x.getPolicyName()));
            marker = page.getIsTruncated() ? page.getMarker() : "";
        } while (!marker.isEmpty());
        assertTrue(names.contains(name));
        assertEquals(names.size(), names.stream().distinct().count());
        var tagged = root.listPolicies(ListPoliciesRequest.newBuilder().setPathPrefix("/tags/").build());
        assertEquals(List.of(name), tagged.getPoliciesList().stream().map(Policy::getPolicyName).toList());
        assertEquals(0, root.listPolicies(ListPoliciesRequest.newBuilder().setScope(PolicyScope.POLICY_SCOPE_AWS)
                .build()).getPoliciesCount());
        assertEquals("ValidationError", reason(() -> root.listPolicies(ListPoliciesRequest.newBuilder()
                .setMaxItems(1001).build())));
        assertEquals("ValidationError", reason(() -> root.listPolicies(ListPoliciesRequest.newBuilder()
                .setMarker("x").build())));
    }

    @Test
    void inlineUserPolicies() {
        String user = unique("inl");
        root.putUserPolicy(PutUserPolicyRequest.newBuilder().setUserName(user).setPolicyName("Get")
                .setPolicyDocument(ALLOW_GET_USER).build());
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:GetUser"));
        var got = root.getUserPolicy(GetUserPolicyRequest.newBuilder().setUserName(user).setPolicyName("get").build());
        assertEquals(ALLOW_GET_USER, got.getPolicyDocument());
        assertEquals("Get", got.getPolicyName());
        root.putUserPolicy(PutUserPolicyRequest.newBuilder().setUserName(user).setPolicyName("Get")
                .setPolicyDocument(DENY_GET_USER).build());
        assertEquals(Decision.DECISION_EXPLICIT_DENY, decide(user, "iam:GetUser"));
        assertEquals(List.of("Get"), root.listUserPolicies(ListUserPoliciesRequest.newBuilder().setUserName(user)
                .build()).getPolicyNamesList());
        StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 40; i++) {
            big.append(i == 0 ? "" : ",").append("{\"Effect\":\"Allow\",\"Action\":\"iam:GetUser\",\"Resource\":\"*\"}");
        }
        big.append("]}");
        assertEquals("LimitExceeded", reason(() -> root.putUserPolicy(PutUserPolicyRequest.newBuilder()
                .setUserName(user).setPolicyName("Big").setPolicyDocument(big.toString()).build())));
        // The same document fits the group quota of 5,120.
        root.putGroupPolicy(PutGroupPolicyRequest.newBuilder().setGroupName(unique("g")).setPolicyName("Big")
                .setPolicyDocument(big.toString()).build());
        assertEquals("MalformedPolicyDocument", reason(() -> root.putUserPolicy(PutUserPolicyRequest.newBuilder()
                .setUserName(user).setPolicyName("Bad").setPolicyDocument("{\"Version\":\"2012-10-17\"}").build())));
        assertEquals(List.of("Get"), root.listUserPolicies(ListUserPoliciesRequest.newBuilder().setUserName(user)
                .build()).getPolicyNamesList());
        var summary = root.getUserPolicySummary(GetUserPolicySummaryRequest.newBuilder().setUserName(user)
                .setForAction("iam:DeleteUser").build());
        assertEquals(1, summary.getInlinePolicyCount());
        root.deleteUserPolicy(DeleteUserPolicyRequest.newBuilder().setUserName(user).setPolicyName("Get").build());
        assertEquals(Decision.DECISION_IMPLICIT_DENY, decide(user, "iam:GetUser"));
        assertEquals("NoSuchEntity", reason(() -> root.getUserPolicy(GetUserPolicyRequest.newBuilder()
                .setUserName(user).setPolicyName("Get").build())));
        assertEquals("NoSuchEntity", reason(() -> root.deleteUserPolicy(DeleteUserPolicyRequest.newBuilder()
                .setUserName(user).setPolicyName("Get").build())));
    }

    @Test
    void groupsMembershipAndRenames() {
        String user = unique("mem");
        String group = unique("Readers");
        Policy p = create(unique("GroupGet"), ALLOW_GET_USER);
        root.attachGroupPolicy(AttachGroupPolicyRequest.newBuilder().setGroupName(group).setPolicyArn(p.getArn())
                .build());
        root.putGroupPolicy(PutGroupPolicyRequest.newBuilder().setGroupName(group).setPolicyName("List")
                .setPolicyDocument(ALLOW_GET_USER.replace("iam:GetUser", "iam:ListUsers")).build());
        assertEquals(Decision.DECISION_IMPLICIT_DENY, decide(user, "iam:GetUser"));
        root.setUserGroups(SetUserGroupsRequest.newBuilder().setUserName(user).addGroupNames(group)
                .setChangedGroupName(group).build());
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:GetUser"));
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:ListUsers"));
        var gs = root.getGroupPolicySummary(GetGroupPolicySummaryRequest.newBuilder().setGroupName(group).build());
        assertEquals(List.of(user), gs.getUserNamesList());
        assertEquals(1, gs.getAttachedPolicyCount());
        assertEquals(1, gs.getInlinePolicyCount());
        var entities = root.listEntitiesForPolicy(ListEntitiesForPolicyRequest.newBuilder().setPolicyArn(p.getArn())
                .build());
        assertEquals(List.of(group), entities.getPolicyGroupsList().stream().map(PolicyGroup::getGroupName).toList());
        assertEquals(List.of(p.getArn()), root.listAttachedGroupPolicies(ListAttachedGroupPoliciesRequest.newBuilder()
                .setGroupName(group).build()).getAttachedPoliciesList().stream().map(AttachedPolicy::getPolicyArn)
                .toList());

        String renamed = unique("Renamed");
        root.renameGroup(RenameGroupRequest.newBuilder().setOldGroupName(group).setNewGroupName(renamed).build());
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:GetUser"));
        assertEquals(0, root.getGroupPolicySummary(GetGroupPolicySummaryRequest.newBuilder().setGroupName(group)
                .build()).getAttachedPolicyCount());
        String newUser = unique("mem2");
        root.renameUser(RenameUserRequest.newBuilder().setOldUserName(user).setNewUserName(newUser).build());
        assertEquals(Decision.DECISION_IMPLICIT_DENY, decide(user, "iam:GetUser"));
        assertEquals(Decision.DECISION_ALLOWED, decide(newUser, "iam:GetUser"));

        root.setUserGroups(SetUserGroupsRequest.newBuilder().setUserName(newUser).setChangedGroupName(renamed)
                .build());
        assertEquals(Decision.DECISION_IMPLICIT_DENY, decide(newUser, "iam:GetUser"));
        assertEquals("ValidationError", reason(() -> root.setUserGroups(SetUserGroupsRequest.newBuilder()
                .setUserName(newUser).addGroupNames(renamed).build())));
        assertEquals("ValidationError", reason(() -> root.setUserGroups(SetUserGroupsRequest.newBuilder()
                .setUserName(newUser).addGroupNames(renamed).setForAction("iam:DeleteUser").build())));

        for (int i = 0; i < 10; i++) {
            root.attachGroupPolicy(AttachGroupPolicyRequest.newBuilder().setGroupName(renamed)
                    .setPolicyArn(i == 0 ? p.getArn() : create(unique("Many"), ALLOW_GET_USER).getArn()).build());
        }
        assertEquals("LimitExceeded", reason(() -> root.attachGroupPolicy(AttachGroupPolicyRequest.newBuilder()
                .setGroupName(renamed).setPolicyArn(create(unique("Eleventh"), ALLOW_GET_USER).getArn()).build())));
    }

    private static String serviceToken(String service) {
        return TestTokens.sign(new dev.gatekey.platform.auth.Caller("gatekey:service/" + service,
                dev.gatekey.platform.auth.PrincipalType.SERVICE, null, null, null, Optional.empty(), Optional.empty(),
                java.time.Instant.now(), null));
    }

    @Test
    void onlyIdentityServiceRemovesTheBoundaryOfADeletedUser() {
        String user = unique("gone");
        Policy all = create(unique("AllowAll"), ALLOW_ALL);
        Policy boundary = create(unique("OnlyGetUser"), ALLOW_GET_USER);
        attach(user, all);
        root.putUserPermissionsBoundary(PutUserPermissionsBoundaryRequest.newBuilder().setUserName(user)
                .setPermissionsBoundary(boundary.getArn()).build());
        DeleteBoundaryOfDeletedUserRequest request = DeleteBoundaryOfDeletedUserRequest.newBuilder()
                .setAccountId(ACCOUNT).setUserName(user).build();

        // nobody but identity-service: not root (allowed everything), not a user, not another service
        for (String token : List.of(TestTokens.rootToken(), TestTokens.userTokenWithMfa(user, 1),
                serviceToken("mfa-device-service"))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> BearerToken.attach(stub, token).deleteBoundaryOfDeletedUser(request));
            assertEquals(io.grpc.Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            assertEquals("AccessDenied", GrpcErrors.reason(e));
        }
        PolicyServiceBlockingStub identity = BearerToken.attach(stub, serviceToken("identity-service"));
        // a user that still has policies cannot have been deleted: DeleteConflict, boundary kept
        assertEquals("DeleteConflict", reason(() -> identity.deleteBoundaryOfDeletedUser(request)));
        assertEquals(Decision.DECISION_IMPLICIT_DENY, decide(user, "iam:CreateUser"));
        assertEquals("ValidationError", reason(() -> identity.deleteBoundaryOfDeletedUser(request.toBuilder()
                .setAccountId("not-an-account").build())));

        root.detachUserPolicy(DetachUserPolicyRequest.newBuilder().setUserName(user).setPolicyArn(all.getArn())
                .build());
        identity.deleteBoundaryOfDeletedUser(request);
        assertFalse(root.getUserPolicySummary(GetUserPolicySummaryRequest.newBuilder().setUserName(user).build())
                .hasPermissionsBoundary());
        assertEquals(0, root.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(boundary.getArn()).build())
                .getPolicy().getPermissionsBoundaryUsageCount());
        // idempotent: a user without a boundary is no error
        identity.deleteBoundaryOfDeletedUser(request);
    }

    @Test
    void permissionsBoundaries() {
        String user = unique("pb");
        Policy all = create(unique("AllowAll"), ALLOW_ALL);
        Policy boundary = create(unique("OnlyGetUser"), ALLOW_GET_USER);
        attach(user, all);
        root.putUserPermissionsBoundary(PutUserPermissionsBoundaryRequest.newBuilder().setUserName(user)
                .setPermissionsBoundary(boundary.getArn()).build());
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:GetUser"));
        assertEquals(Decision.DECISION_IMPLICIT_DENY, decide(user, "iam:CreateUser"));
        var summary = root.getUserPolicySummary(GetUserPolicySummaryRequest.newBuilder().setUserName(user).build());
        assertEquals(boundary.getArn(), summary.getPermissionsBoundary().getPermissionsBoundaryArn());
        assertEquals("PermissionsBoundaryPolicy", summary.getPermissionsBoundary().getPermissionsBoundaryType());
        assertEquals(1, summary.getAttachedPolicyCount());
        assertEquals(1, root.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(boundary.getArn()).build())
                .getPolicy().getPermissionsBoundaryUsageCount());
        var used = root.listPolicies(ListPoliciesRequest.newBuilder().setOnlyAttached(true)
                .setPolicyUsageFilter(PolicyUsageType.POLICY_USAGE_TYPE_PERMISSIONS_BOUNDARY).build());
        assertTrue(used.getPoliciesList().stream().anyMatch(x -> x.getArn().equals(boundary.getArn())));
        assertTrue(used.getPoliciesList().stream().noneMatch(x -> x.getArn().equals(all.getArn())));
        assertEquals(List.of(user), root.listEntitiesForPolicy(ListEntitiesForPolicyRequest.newBuilder()
                .setPolicyArn(boundary.getArn())
                .setPolicyUsageFilter(PolicyUsageType.POLICY_USAGE_TYPE_PERMISSIONS_BOUNDARY).build())
                .getPolicyUsersList().stream().map(PolicyUser::getUserName).toList());
        assertEquals("DeleteConflict", reason(() -> root.deletePolicy(DeletePolicyRequest.newBuilder()
                .setPolicyArn(boundary.getArn()).build())));
        root.deleteUserPermissionsBoundary(DeleteUserPermissionsBoundaryRequest.newBuilder().setUserName(user).build());
        assertEquals(Decision.DECISION_ALLOWED, decide(user, "iam:CreateUser"));
        assertFalse(root.getUserPolicySummary(GetUserPolicySummaryRequest.newBuilder().setUserName(user).build())
                .hasPermissionsBoundary());
        assertEquals("NoSuchEntity", reason(() -> root.putUserPermissionsBoundary(PutUserPermissionsBoundaryRequest
                .newBuilder().setUserName(user).setPermissionsBoundary("arn:aws:iam::" + ACCOUNT + ":policy/none")
                .build())));
    }

    @Test
    void simulator() {
        String mfaPolicy = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {"Sid": "AllowIam", "Effect": "Allow", "Action": "iam:*", "Resource": "*"},
                    {
                      "Sid": "DenyWithoutMfa",
                      "Effect": "Deny",
                      "NotAction": "iam:ChangePassword",
                      "Resource": "*",
                      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
                    }
                  ]
                }""";
        var response = root.simulateCustomPolicy(SimulateCustomPolicyRequest.newBuilder().addPolicyInputList(mfaPolicy)
                .addActionNames("iam:GetUser").addActionNames("iam:ChangePassword").addActionNames("s3:GetObject")
                .addResourceArns("arn:aws:iam::" + ACCOUNT + ":user/bob")
                .addContextEntries(ContextEntry.newBuilder().setContextKeyName("aws:MultiFactorAuthPresent")
                        .addContextKeyValues("false").setContextKeyType(ContextKeyType.CONTEXT_KEY_TYPE_BOOLEAN))
                .build());
        assertEquals(3, response.getEvaluationResultsCount());
        EvaluationResult get = response.getEvaluationResults(0);
        assertEquals("iam:GetUser", get.getEvalActionName());
        assertEquals(Decision.DECISION_EXPLICIT_DENY, get.getEvalDecision());
        MatchedStatement deny = get.getMatchedStatements(0);
        assertEquals("PolicyInputList.1", deny.getSourcePolicyId());
        assertEquals(PolicySourceType.POLICY_SOURCE_TYPE_NONE, deny.getSourcePolicyType());
        assertEquals(5, deny.getStartPosition().getLine());
        assertEquals(5, deny.getStartPosition().getColumn());
        assertEquals(11, deny.getEndPosition().getLine());
        assertEquals(Decision.DECISION_ALLOWED, response.getEvaluationResults(1).getEvalDecision());
        assertEquals(Decision.DECISION_EXPLICIT_DENY, response.getEvaluationResults(2).getEvalDecision());

        var noContext = root.simulateCustomPolicy(SimulateCustomPolicyRequest.newBuilder().addPolicyInputList(mfaPolicy)
                .addActionNames("iam:GetUser").addPermissionsBoundaryPolicyInputList(ALLOW_GET_USER).build());
        EvaluationResult r = noContext.getEvaluationResults(0);
        // BoolIfExists on a missing key matches: the Deny applies (AWS's long-term-key row).
        assertEquals(Decision.DECISION_EXPLICIT_DENY, r.getEvalDecision());
        assertEquals(Decision.DECISION_EXPLICIT_DENY, r.getEvalDecisionDetailsMap().get("IAM Policy"));
        assertEquals(List.of("aws:MultiFactorAuthPresent"), r.getMissingContextValuesList());
        assertTrue(r.getPermissionsBoundaryDecisionDetail().getAllowedByPermissionsBoundary());
        assertEquals(Decision.DECISION_ALLOWED, r.getEvalDecisionDetailsMap().get("PermissionsBoundaryPolicy"));

        assertEquals("ValidationError", reason(() -> root.simulateCustomPolicy(SimulateCustomPolicyRequest.newBuilder()
                .addPolicyInputList(mfaPolicy).addActionNames("iam:GetUser")
                .addContextEntries(ContextEntry.newBuilder().setContextKeyName("aws:MultiFactorAuthAge")
                        .addContextKeyValues("soon").setContextKeyType(ContextKeyType.CONTEXT_KEY_TYPE_NUMERIC))
                .build())));
        assertEquals("MalformedPolicyDocument", reason(() -> root.simulateCustomPolicy(SimulateCustomPolicyRequest
                .newBuilder().addPolicyInputList("{").addActionNames("iam:GetUser").build())));

        // SimulatePrincipalPolicy: the user's own policies, with ${aws:username} from the user.
        String user = unique("sim");
        root.putUserPolicy(PutUserPolicyRequest.newBuilder().setUserName(user).setPolicyName("Self")
                .setPolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                        + "\"iam:GetUser\",\"Resource\":\"arn:aws:iam::*:user/${aws:username}\"}}")
                .build());
        var principal = root.simulatePrincipalPolicy(SimulatePrincipalPolicyRequest.newBuilder()
                .setPolicySourceArn("arn:aws:iam::" + ACCOUNT + ":user/" + user).addActionNames("iam:GetUser")
                .addResourceArns("arn:aws:iam::" + ACCOUNT + ":user/" + user)
                .addResourceArns("arn:aws:iam::" + ACCOUNT + ":user/other").setMaxItems(1).build());
        assertEquals(Decision.DECISION_ALLOWED, principal.getEvaluationResults(0).getEvalDecision());
        assertEquals("Self", principal.getEvaluationResults(0).getMatchedStatements(0).getSourcePolicyId());
        assertEquals(PolicySourceType.POLICY_SOURCE_TYPE_USER,
                principal.getEvaluationResults(0).getMatchedStatements(0).getSourcePolicyType());
        assertTrue(principal.getIsTruncated());
        var second = root.simulatePrincipalPolicy(SimulatePrincipalPolicyRequest.newBuilder()
                .setPolicySourceArn("arn:aws:iam::" + ACCOUNT + ":user/" + user).addActionNames("iam:GetUser")
                .addResourceArns("arn:aws:iam::" + ACCOUNT + ":user/" + user)
                .addResourceArns("arn:aws:iam::" + ACCOUNT + ":user/other").setMaxItems(1)
                .setMarker(principal.getMarker()).build());
        assertEquals(Decision.DECISION_IMPLICIT_DENY, second.getEvaluationResults(0).getEvalDecision());
        assertFalse(second.getIsTruncated());
        assertEquals("ValidationError", reason(() -> root.simulatePrincipalPolicy(SimulatePrincipalPolicyRequest
                .newBuilder().setPolicySourceArn("arn:aws:iam::" + ACCOUNT + ":role/x").addActionNames("iam:GetUser")
                .build())));
    }

    @Test
    void everyCallIsAuthorizedAndTheSummaryCounts() {
        String user = unique("noperm");
        PolicyServiceBlockingStub as = BearerToken.attach(stub,
                TestTokens.userToken(user, Optional.of(true), Optional.of(java.time.Instant.now())));
        assertEquals("AccessDenied", reason(() -> as.createPolicy(CreatePolicyRequest.newBuilder()
                .setPolicyName(unique("X")).setPolicyDocument(ALLOW_ALL).build())));
        assertEquals("AccessDenied", reason(() -> as.putUserPolicy(PutUserPolicyRequest.newBuilder()
                .setUserName(user).setPolicyName("Escalate").setPolicyDocument(ALLOW_ALL).build())));
        assertEquals("AccessDenied", reason(() -> as.setUserGroups(SetUserGroupsRequest.newBuilder().setUserName(user)
                .addGroupNames("Admins").setChangedGroupName("Admins").build())));
        assertEquals("AccessDenied", reason(() -> as.simulateCustomPolicy(SimulateCustomPolicyRequest.newBuilder()
                .addPolicyInputList(ALLOW_ALL).addActionNames("iam:GetUser").build())));
        assertEquals("AccessDenied", reason(() -> as.getAccountPolicySummary(
                GetAccountPolicySummaryRequest.getDefaultInstance())));
        // Allowed to put inline policies on users under /team/ only.
        root.putUserPolicy(PutUserPolicyRequest.newBuilder().setUserName(user).setPolicyName("Team")
                .setPolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                        + "\"iam:PutUserPolicy\",\"Resource\":\"arn:aws:iam::" + ACCOUNT + ":user/team/*\"}}")
                .build());
        as.putUserPolicy(PutUserPolicyRequest.newBuilder().setUserName(unique("member")).setUserPath("/team/")
                .setPolicyName("P").setPolicyDocument(ALLOW_GET_USER).build());
        assertEquals("AccessDenied", reason(() -> as.putUserPolicy(PutUserPolicyRequest.newBuilder()
                .setUserName(unique("outsider")).setPolicyName("P").setPolicyDocument(ALLOW_GET_USER).build())));

        var before = root.getAccountPolicySummary(GetAccountPolicySummaryRequest.getDefaultInstance());
        Policy p = create(unique("Counted"), ALLOW_GET_USER);
        attach(user, p);
        var after = root.getAccountPolicySummary(GetAccountPolicySummaryRequest.getDefaultInstance());
        assertEquals(before.getPolicies() + 1, after.getPolicies());
        assertEquals(before.getPolicyVersionsInUse() + 1, after.getPolicyVersionsInUse());
        assertEquals(6144, after.getPolicySizeQuota());
        assertEquals(2048, after.getUserPolicySizeQuota());
        assertEquals(5120, after.getGroupPolicySizeQuota());
        assertEquals(5, after.getVersionsPerPolicyQuota());
        assertEquals(10, after.getAttachedPoliciesPerUserQuota());
    }
}
