package dev.gatekey.identity.query;

import static dev.gatekey.identity.query.QueryApiTest.ACCOUNT;
import static dev.gatekey.identity.query.QueryApiTest.IAM_NS;
import static dev.gatekey.identity.query.QueryApiTest.ROOT;
import static dev.gatekey.identity.query.QueryApiTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.policy.v1.AttachGroupPolicyRequest;
import dev.gatekey.policy.v1.AttachUserPolicyRequest;
import dev.gatekey.policy.v1.AttachedPolicy;
import dev.gatekey.policy.v1.ContextKeyType;
import dev.gatekey.policy.v1.CreatePolicyRequest;
import dev.gatekey.policy.v1.CreatePolicyResponse;
import dev.gatekey.policy.v1.CreatePolicyVersionRequest;
import dev.gatekey.policy.v1.CreatePolicyVersionResponse;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.DeleteGroupPolicyRequest;
import dev.gatekey.policy.v1.DeletePolicyVersionRequest;
import dev.gatekey.policy.v1.DetachUserPolicyRequest;
import dev.gatekey.policy.v1.EvaluationResult;
import dev.gatekey.policy.v1.GetGroupPolicyResponse;
import dev.gatekey.policy.v1.GetPolicyResponse;
import dev.gatekey.policy.v1.GetPolicyVersionResponse;
import dev.gatekey.policy.v1.GetUserPolicyRequest;
import dev.gatekey.policy.v1.GetUserPolicyResponse;
import dev.gatekey.policy.v1.ListAttachedGroupPoliciesResponse;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesRequest;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesResponse;
import dev.gatekey.policy.v1.ListEntitiesForPolicyResponse;
import dev.gatekey.policy.v1.ListPoliciesRequest;
import dev.gatekey.policy.v1.ListPoliciesResponse;
import dev.gatekey.policy.v1.ListPolicyTagsResponse;
import dev.gatekey.policy.v1.ListPolicyVersionsResponse;
import dev.gatekey.policy.v1.ListUserPoliciesRequest;
import dev.gatekey.policy.v1.ListUserPoliciesResponse;
import dev.gatekey.policy.v1.MatchedStatement;
import dev.gatekey.policy.v1.PermissionsBoundaryDecisionDetail;
import dev.gatekey.policy.v1.Policy;
import dev.gatekey.policy.v1.PolicyGroup;
import dev.gatekey.policy.v1.PolicyScope;
import dev.gatekey.policy.v1.PolicySourceType;
import dev.gatekey.policy.v1.PolicyUsageType;
import dev.gatekey.policy.v1.PolicyUser;
import dev.gatekey.policy.v1.PolicyVersion;
import dev.gatekey.policy.v1.Position;
import dev.gatekey.policy.v1.PutGroupPolicyRequest;
import dev.gatekey.policy.v1.PutUserPermissionsBoundaryRequest;
import dev.gatekey.policy.v1.PutUserPolicyRequest;
import dev.gatekey.policy.v1.SetDefaultPolicyVersionRequest;
import dev.gatekey.policy.v1.SimulateCustomPolicyRequest;
import dev.gatekey.policy.v1.SimulateCustomPolicyResponse;
import dev.gatekey.policy.v1.SimulatePrincipalPolicyRequest;
import dev.gatekey.policy.v1.SimulatePrincipalPolicyResponse;
import dev.gatekey.policy.v1.Tag;
import dev.gatekey.policy.v1.TagPolicyRequest;
import dev.gatekey.policy.v1.UntagPolicyRequest;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The IAM policy actions over the Query API: what identity-service asks policy-service (the
 * stand-in records it), the XML it writes back in AWS's shapes, AWS's error codes and statuses
 * for policy-service's errors, and the users and groups identity-service itself checks first.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PolicyActionsQueryTest {
    static final String POLICY_ARN = "arn:aws:iam::" + ACCOUNT + ":policy/team/ReadOnly";
    static final String ROOT_ARN = "arn:aws:iam::" + ACCOUNT + ":root";
    static final String DOCUMENT = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", "
            + "\"Action\": \"iam:Get*\", \"Resource\": \"*\", \"Condition\": {\"Bool\": "
            + "{\"aws:MultiFactorAuthPresent\": \"true\"}}}]\n}";

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    RecordingPolicyEnforcer enforcer;

    @Inject
    RecordingPeers peers;

    @Inject
    @GrpcService
    ScriptedPolicyService policyService;

    QueryClient client;

    @BeforeEach
    void setUp() {
        client = new QueryClient(endpoint);
        enforcer.reset();
        peers.reset();
        policyService.reset();
    }

    QueryClient.Answer ok(QueryClient.Answer answer) {
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(IAM_NS, answer.namespace(), answer.toString());
        return answer;
    }

    static void fails(int status, String code, QueryClient.Answer answer) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(code, answer.code(), answer.toString());
    }

    static Timestamp at(String iso) {
        Instant i = Instant.parse(iso);
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    static Policy policy(String name, String description, Tag... tags) {
        return Policy.newBuilder().setPolicyName(name).setPolicyId("ANPAEXAMPLE" + name.length())
                .setArn("arn:aws:iam::" + ACCOUNT + ":policy/team/" + name).setPath("/team/")
                .setDefaultVersionId("v2").setAttachmentCount(3).setPermissionsBoundaryUsageCount(1)
                .setIsAttachable(true).setDescription(description)
                .setCreateDate(at("2026-01-02T03:04:05.678Z")).setUpdateDate(at("2026-02-03T04:05:06Z"))
                .addAllTags(List.of(tags)).build();
    }

    /** The child elements' local names of the first element called {@code name}. */
    static List<String> children(QueryClient.Answer answer, String name) {
        Element parent = answer.first(name);
        List<String> names = new java.util.ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                names.add(e.getLocalName());
            }
        }
        return names;
    }

    static String decoded(String urlEncoded) {
        return URLDecoder.decode(urlEncoded, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ managed policies

    @Test
    void createPolicyForwardsItsParametersAndAnswersAwsPolicyShape() {
        policyService.answer("CreatePolicy", CreatePolicyResponse.newBuilder()
                .setPolicy(policy("ReadOnly", "Read only", Tag.newBuilder().setKey("team").setValue("blue").build()))
                .build());
        QueryClient.Answer created = ok(client.iam(ROOT, "CreatePolicy", "PolicyName", "ReadOnly", "Path", "/team/",
                "PolicyDocument", DOCUMENT, "Description", "Read only", "Tags.member.1.Key", "team",
                "Tags.member.1.Value", "blue"));

        CreatePolicyRequest sent = policyService.last("CreatePolicy");
        assertEquals("ReadOnly", sent.getPolicyName());
        assertEquals("/team/", sent.getPath());
        assertEquals(DOCUMENT, sent.getPolicyDocument());
        assertEquals("Read only", sent.getDescription());
        assertEquals("blue", sent.getTags(0).getValue());
        assertEquals(ROOT_ARN, policyService.calls().get(0).callerArn(), "policy-service acts as the caller");

        assertEquals("CreatePolicyResponse", created.root());
        assertEquals(List.of("PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount",
                "PermissionsBoundaryUsageCount", "IsAttachable", "Description", "CreateDate", "UpdateDate", "Tags"),
                children(created, "Policy"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":policy/team/ReadOnly", created.text("Arn"));
        assertEquals("v2", created.text("DefaultVersionId"));
        assertEquals("3", created.text("AttachmentCount"));
        assertEquals("true", created.text("IsAttachable"));
        assertEquals("2026-01-02T03:04:05Z", created.text("CreateDate"));
        assertEquals("team", created.first("Tags").getElementsByTagNameNS("*", "Key").item(0).getTextContent());
    }

    @Test
    void getPolicyAndListPoliciesPassScopeFiltersAndPagesThrough() {
        policyService.answer("GetPolicy", GetPolicyResponse.newBuilder().setPolicy(policy("ReadOnly", "")).build());
        QueryClient.Answer got = ok(client.iam(ROOT, "GetPolicy", "PolicyArn", POLICY_ARN));
        assertEquals(POLICY_ARN, ((dev.gatekey.policy.v1.GetPolicyRequest) policyService.last("GetPolicy"))
                .getPolicyArn());
        assertEquals("GetPolicyResult", got.first("GetPolicyResult").getLocalName());
        assertNull(got.text("Description"), "no Description element for a policy without one");

        policyService.answer("ListPolicies", ListPoliciesResponse.newBuilder()
                .addPolicies(policy("A", "described")).addPolicies(policy("Bb", "described"))
                .setIsTruncated(true).setMarker("next-page").build());
        QueryClient.Answer page = ok(client.iam(ROOT, "ListPolicies", "Scope", "Local", "OnlyAttached", "true",
                "PathPrefix", "/team/", "PolicyUsageFilter", "PermissionsPolicy", "MaxItems", "2", "Marker", "m1"));
        ListPoliciesRequest sent = policyService.last("ListPolicies");
        assertEquals(PolicyScope.POLICY_SCOPE_LOCAL, sent.getScope());
        assertTrue(sent.getOnlyAttached());
        assertEquals("/team/", sent.getPathPrefix());
        assertEquals(PolicyUsageType.POLICY_USAGE_TYPE_PERMISSIONS_POLICY, sent.getPolicyUsageFilter());
        assertEquals(2, sent.getMaxItems());
        assertEquals("m1", sent.getMarker());
        assertEquals(2, page.first("Policies").getElementsByTagNameNS("*", "member").getLength());
        assertEquals(List.of("A", "Bb"), page.texts("PolicyName"));
        assertEquals(0, page.count("Description"), "ListPolicies leaves Description out, as AWS");
        assertEquals(0, page.count("Tags"));
        assertEquals("true", page.text("IsTruncated"));
        assertEquals("next-page", page.text("Marker"));

        policyService.answer("ListPolicies", ListPoliciesResponse.getDefaultInstance());
        QueryClient.Answer last = ok(client.iam(ROOT, "ListPolicies"));
        assertEquals(PolicyScope.POLICY_SCOPE_ALL, ((ListPoliciesRequest) policyService.last("ListPolicies"))
                .getScope());
        assertEquals(0, ((ListPoliciesRequest) policyService.last("ListPolicies")).getMaxItems());
        assertEquals("false", last.text("IsTruncated"));
        assertNull(last.text("Marker"));

        int asked = policyService.calls().size();
        fails(400, "ValidationError", client.iam(ROOT, "ListPolicies", "Scope", "Everything"));
        fails(400, "ValidationError", client.iam(ROOT, "ListPolicies", "PolicyUsageFilter", "Other"));
        fails(400, "ValidationError", client.iam(ROOT, "ListPolicies", "MaxItems", "0"));
        fails(400, "ValidationError", client.iam(ROOT, "ListPolicies", "MaxItems", "1001"));
        fails(400, "MalformedInput", client.iam(ROOT, "ListPolicies", "OnlyAttached", "maybe"));
        fails(400, "ValidationError", client.iam(ROOT, "GetPolicy"));
        assertEquals(asked, policyService.calls().size(), "bad requests never reach policy-service");
    }

    @Test
    void policyVersionsCarryTheirDocumentUrlEncodedAsAws() {
        policyService.answer("GetPolicyVersion", GetPolicyVersionResponse.newBuilder().setPolicyVersion(
                PolicyVersion.newBuilder().setDocument(DOCUMENT).setVersionId("v1").setIsDefaultVersion(true)
                        .setCreateDate(at("2026-01-02T03:04:05Z"))).build());
        QueryClient.Answer got = ok(client.iam(ROOT, "GetPolicyVersion", "PolicyArn", POLICY_ARN, "VersionId", "v1"));
        assertEquals(List.of("Document", "VersionId", "IsDefaultVersion", "CreateDate"),
                children(got, "PolicyVersion"));
        String document = got.text("Document");
        assertFalse(document.contains(" ") || document.contains("+") || document.contains("{"), document);
        assertTrue(document.startsWith("%7B%0A%20%20%22Version%22"), document);
        assertEquals(DOCUMENT, decoded(document));

        policyService.answer("CreatePolicyVersion", CreatePolicyVersionResponse.newBuilder().setPolicyVersion(
                PolicyVersion.newBuilder().setVersionId("v3").setIsDefaultVersion(true)
                        .setCreateDate(at("2026-01-02T03:04:05Z"))).build());
        QueryClient.Answer created = ok(client.iam(ROOT, "CreatePolicyVersion", "PolicyArn", POLICY_ARN,
                "PolicyDocument", DOCUMENT, "SetAsDefault", "true"));
        CreatePolicyVersionRequest sent = policyService.last("CreatePolicyVersion");
        assertTrue(sent.getSetAsDefault());
        assertEquals(DOCUMENT, sent.getPolicyDocument());
        assertEquals(List.of("VersionId", "IsDefaultVersion", "CreateDate"), children(created, "PolicyVersion"));

        policyService.answer("ListPolicyVersions", ListPolicyVersionsResponse.newBuilder()
                .addVersions(PolicyVersion.newBuilder().setVersionId("v3").setIsDefaultVersion(true)
                        .setCreateDate(at("2026-01-03T00:00:00Z")))
                .addVersions(PolicyVersion.newBuilder().setVersionId("v2").setCreateDate(at("2026-01-02T00:00:00Z")))
                .setIsTruncated(true).setMarker("v-next").build());
        QueryClient.Answer versions = ok(client.iam(ROOT, "ListPolicyVersions", "PolicyArn", POLICY_ARN,
                "MaxItems", "2"));
        assertEquals(List.of("v3", "v2"), versions.texts("VersionId"));
        assertEquals(List.of("true", "false"), versions.texts("IsDefaultVersion"));
        assertEquals(0, versions.count("Document"));
        assertEquals("v-next", versions.text("Marker"));

        ok(client.iam(ROOT, "SetDefaultPolicyVersion", "PolicyArn", POLICY_ARN, "VersionId", "v2"));
        assertEquals("v2", ((SetDefaultPolicyVersionRequest) policyService.last("SetDefaultPolicyVersion"))
                .getVersionId());
        QueryClient.Answer deleted = ok(client.iam(ROOT, "DeletePolicyVersion", "PolicyArn", POLICY_ARN,
                "VersionId", "v3"));
        assertEquals("DeletePolicyVersionResponse", deleted.root());
        assertEquals(1, deleted.count("RequestId"));
        assertEquals("v3", ((DeletePolicyVersionRequest) policyService.last("DeletePolicyVersion")).getVersionId());
        ok(client.iam(ROOT, "DeletePolicy", "PolicyArn", POLICY_ARN));
        assertEquals(POLICY_ARN, ((dev.gatekey.policy.v1.DeletePolicyRequest) policyService.last("DeletePolicy"))
                .getPolicyArn());
    }

    @Test
    void largeDocumentsAndLongListsReachPolicyServiceWhole() {
        // a managed policy may have 6,144 characters without white space; a simulation many actions
        String statement = "{\"Effect\": \"Allow\", \"Action\": \"iam:GetUser\", \"Resource\": "
                + "\"arn:aws:iam::" + ACCOUNT + ":user/team/member-%04d\"}";
        StringBuilder large = new StringBuilder("{\"Version\": \"2012-10-17\", \"Statement\": [");
        for (int i = 0; i < 90; i++) {
            large.append(i == 0 ? "" : ", ").append(String.format(statement, i));
        }
        String document = large.append("]}").toString();
        assertTrue(document.length() > 9000, "length " + document.length());
        policyService.answer("CreatePolicy", CreatePolicyResponse.newBuilder().setPolicy(policy("Big", "")).build());
        ok(client.iam(ROOT, "CreatePolicy", "PolicyName", "Big", "PolicyDocument", document));
        assertEquals(document, ((CreatePolicyRequest) policyService.last("CreatePolicy")).getPolicyDocument());

        List<String> parameters = new java.util.ArrayList<>(List.of("PolicyInputList.member.1", document));
        for (int i = 1; i <= 600; i++) {
            parameters.add("ActionNames.member." + i);
            parameters.add("iam:Action" + i);
        }
        ok(client.iam(ROOT, "SimulateCustomPolicy", parameters.toArray(String[]::new)));
        assertEquals(600, ((SimulateCustomPolicyRequest) policyService.last("SimulateCustomPolicy"))
                .getActionNamesCount());
    }

    @Test
    void policyServiceErrorsKeepTheirAwsCodesAndStatuses() {
        Map<GatekeyException, Integer> errors = Map.of(
                GatekeyException.noSuchEntity("Policy " + POLICY_ARN + " does not exist or is not attachable."), 404,
                GatekeyException.entityAlreadyExists("A policy called ReadOnly already exists."), 409,
                GatekeyException.limitExceeded("Cannot exceed quota for PolicyVersionsPerPolicy: 5"), 409,
                new GatekeyException("DeleteConflict", ErrorKind.CONFLICT,
                        "Cannot delete a policy attached to entities."), 409,
                new GatekeyException("MalformedPolicyDocument", ErrorKind.INVALID_INPUT,
                        "Syntax errors in policy."), 400,
                GatekeyException.invalidInput("ARN arn:bad is not valid."), 400,
                new GatekeyException("AccessDenied", ErrorKind.ACCESS_DENIED, "User: arn:aws:iam::" + ACCOUNT
                        + ":user/bob is not authorized to perform: iam:CreatePolicyVersion on resource: "
                        + POLICY_ARN + " because no identity-based policy allows the iam:CreatePolicyVersion action"),
                403);
        errors.forEach((error, status) -> {
            policyService.fail("CreatePolicyVersion", error);
            QueryClient.Answer answer = client.iam(ROOT, "CreatePolicyVersion", "PolicyArn", POLICY_ARN,
                    "PolicyDocument", DOCUMENT);
            fails(status, error.code(), answer);
            assertEquals(error.getMessage(), answer.text("Message"));
            assertEquals("Sender", answer.text("Type"));
            assertEquals("ErrorResponse", answer.root());
        });

        policyService.fail("CreatePolicyVersion", Status.UNAVAILABLE.withDescription("connection refused")
                .asRuntimeException());
        QueryClient.Answer down = client.iam(ROOT, "CreatePolicyVersion", "PolicyArn", POLICY_ARN,
                "PolicyDocument", DOCUMENT);
        fails(503, "ServiceUnavailable", down);
        assertEquals("Receiver", down.text("Type"));
        assertFalse(down.body().contains("connection refused"), "peer internals stay hidden");
    }

    @Test
    void policyTagsAndEntities() {
        ok(client.iam(ROOT, "TagPolicy", "PolicyArn", POLICY_ARN, "Tags.member.1.Key", "team",
                "Tags.member.1.Value", "blue", "Tags.member.2.Key", "cost"));
        TagPolicyRequest tagged = policyService.last("TagPolicy");
        assertEquals(2, tagged.getTagsCount());
        assertEquals("", tagged.getTags(1).getValue());
        ok(client.iam(ROOT, "UntagPolicy", "PolicyArn", POLICY_ARN, "TagKeys.member.1", "cost"));
        assertEquals(List.of("cost"), ((UntagPolicyRequest) policyService.last("UntagPolicy")).getTagKeysList());
        fails(400, "ValidationError", client.iam(ROOT, "TagPolicy", "PolicyArn", POLICY_ARN));
        fails(400, "ValidationError", client.iam(ROOT, "UntagPolicy", "PolicyArn", POLICY_ARN));

        policyService.answer("ListPolicyTags", ListPolicyTagsResponse.newBuilder()
                .addTags(Tag.newBuilder().setKey("team").setValue("blue")).build());
        QueryClient.Answer tags = ok(client.iam(ROOT, "ListPolicyTags", "PolicyArn", POLICY_ARN));
        assertEquals("blue", tags.first("Tags").getElementsByTagNameNS("*", "Value").item(0).getTextContent());
        assertEquals("false", tags.text("IsTruncated"));

        String user = unique("ent");
        String userId = ok(client.iam(ROOT, "CreateUser", "UserName", user)).text("UserId");
        String group = unique("entg");
        String groupId = ok(client.iam(ROOT, "CreateGroup", "GroupName", group)).text("GroupId");
        policyService.answer("ListEntitiesForPolicy", ListEntitiesForPolicyResponse.newBuilder()
                .addPolicyGroups(PolicyGroup.newBuilder().setGroupName(group))
                .addPolicyUsers(PolicyUser.newBuilder().setUserName(user)).build());
        QueryClient.Answer entities = ok(client.iam(ROOT, "ListEntitiesForPolicy", "PolicyArn", POLICY_ARN,
                "EntityFilter", "User"));
        assertEquals(userId, entities.text("UserId"), "identity-service fills in the ids it owns");
        assertEquals(groupId, entities.text("GroupId"));
        assertEquals(1, entities.count("PolicyRoles"));
        fails(400, "ValidationError", client.iam(ROOT, "ListEntitiesForPolicy", "PolicyArn", POLICY_ARN,
                "EntityFilter", "Robot"));
    }

    // ------------------------------------------------------------------ users and groups

    @Test
    void attachmentsOfUsersAndGroupsAreAuthorizedOnTheirArnsAndForwardedWithTheirPaths() {
        String user = unique("att");
        ok(client.iam(ROOT, "CreateUser", "UserName", user, "Path", "/eng/"));
        String group = unique("attg");
        ok(client.iam(ROOT, "CreateGroup", "GroupName", group, "Path", "/ops/"));
        enforcer.reset();

        ok(client.iam(ROOT, "AttachUserPolicy", "UserName", user.toUpperCase(), "PolicyArn", POLICY_ARN));
        AttachUserPolicyRequest attached = policyService.last("AttachUserPolicy");
        assertEquals(user, attached.getUserName(), "the name as stored, whatever the case asked");
        assertEquals("/eng/", attached.getUserPath());
        assertEquals(POLICY_ARN, attached.getPolicyArn());
        assertEquals("iam:AttachUserPolicy", enforcer.questions().get(0).action());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/eng/" + user, enforcer.questions().get(0).resource());

        ok(client.iam(ROOT, "DetachUserPolicy", "UserName", user, "PolicyArn", POLICY_ARN));
        assertEquals("/eng/", ((DetachUserPolicyRequest) policyService.last("DetachUserPolicy")).getUserPath());

        policyService.answer("ListAttachedUserPolicies", ListAttachedUserPoliciesResponse.newBuilder()
                .addAttachedPolicies(AttachedPolicy.newBuilder().setPolicyName("ReadOnly").setPolicyArn(POLICY_ARN))
                .setIsTruncated(true).setMarker("att-next").build());
        QueryClient.Answer list = ok(client.iam(ROOT, "ListAttachedUserPolicies", "UserName", user,
                "PathPrefix", "/team/", "MaxItems", "1"));
        ListAttachedUserPoliciesRequest asked = policyService.last("ListAttachedUserPolicies");
        assertEquals("/team/", asked.getPathPrefix());
        assertEquals(1, asked.getMaxItems());
        assertEquals(List.of("PolicyName", "PolicyArn"), children(list, "member"));
        assertEquals(POLICY_ARN, list.text("PolicyArn"));
        assertEquals("true", list.text("IsTruncated"));
        assertEquals("att-next", list.text("Marker"));

        enforcer.reset();
        ok(client.iam(ROOT, "AttachGroupPolicy", "GroupName", group, "PolicyArn", POLICY_ARN));
        AttachGroupPolicyRequest groupAttached = policyService.last("AttachGroupPolicy");
        assertEquals("/ops/", groupAttached.getGroupPath());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":group/ops/" + group, enforcer.questions().get(0).resource());
        ok(client.iam(ROOT, "DetachGroupPolicy", "GroupName", group, "PolicyArn", POLICY_ARN));
        policyService.answer("ListAttachedGroupPolicies", ListAttachedGroupPoliciesResponse.newBuilder()
                .addAttachedPolicies(AttachedPolicy.newBuilder().setPolicyName("ReadOnly").setPolicyArn(POLICY_ARN))
                .build());
        QueryClient.Answer groupList = ok(client.iam(ROOT, "ListAttachedGroupPolicies", "GroupName", group));
        assertEquals(List.of("ReadOnly"), groupList.texts("PolicyName"));
        assertEquals("false", groupList.text("IsTruncated"));

        policyService.fail("AttachUserPolicy", GatekeyException.limitExceeded("Cannot exceed quota for "
                + "PoliciesPerUser: 10"));
        fails(409, "LimitExceeded", client.iam(ROOT, "AttachUserPolicy", "UserName", user, "PolicyArn", POLICY_ARN));
        policyService.fail("DetachUserPolicy", GatekeyException.noSuchEntity("Policy " + POLICY_ARN
                + " was not found."));
        fails(404, "NoSuchEntity", client.iam(ROOT, "DetachUserPolicy", "UserName", user, "PolicyArn", POLICY_ARN));
    }

    @Test
    void missingOrForbiddenUsersAndGroupsNeverReachPolicyService() {
        String nobody = unique("nobody");
        QueryClient.Answer missing = client.iam(ROOT, "AttachUserPolicy", "UserName", nobody, "PolicyArn", POLICY_ARN);
        fails(404, "NoSuchEntity", missing);
        assertEquals("The user with name " + nobody + " cannot be found.", missing.text("Message"));
        fails(404, "NoSuchEntity", client.iam(ROOT, "PutGroupPolicy", "GroupName", nobody, "PolicyName", "p",
                "PolicyDocument", DOCUMENT));
        fails(404, "NoSuchEntity", client.iam(ROOT, "ListUserPolicies", "UserName", nobody));
        fails(404, "NoSuchEntity", client.iam(ROOT, "SimulatePrincipalPolicy", "PolicySourceArn",
                "arn:aws:iam::" + ACCOUNT + ":user/" + nobody, "ActionNames.member.1", "iam:GetUser"));

        String user = unique("denied");
        ok(client.iam(ROOT, "CreateUser", "UserName", user));
        enforcer.allow(false);
        QueryClient.Answer denied = client.iam(ROOT, "AttachUserPolicy", "UserName", user, "PolicyArn", POLICY_ARN);
        fails(403, "AccessDenied", denied);
        assertEquals("User: " + ROOT_ARN + " is not authorized to perform: iam:AttachUserPolicy on resource: "
                + "arn:aws:iam::" + ACCOUNT + ":user/" + user + " because no identity-based policy allows the "
                + "iam:AttachUserPolicy action", denied.text("Message"));
        // a caller without permission cannot tell a missing user from an existing one
        fails(403, "AccessDenied", client.iam(ROOT, "AttachUserPolicy", "UserName", nobody, "PolicyArn", POLICY_ARN));
        fails(403, "AccessDenied", client.iam(ROOT, "SimulatePrincipalPolicy", "PolicySourceArn",
                "arn:aws:iam::" + ACCOUNT + ":user/" + nobody, "ActionNames.member.1", "iam:GetUser"));
        fails(400, "ValidationError", client.iam(ROOT, "AttachUserPolicy", "UserName", user));
        assertEquals(List.of(), policyService.calls());
    }

    @Test
    void inlinePoliciesOfUsersAndGroups() {
        String user = unique("inl");
        ok(client.iam(ROOT, "CreateUser", "UserName", user, "Path", "/eng/"));
        String group = unique("inlg");
        ok(client.iam(ROOT, "CreateGroup", "GroupName", group));

        ok(client.iam(ROOT, "PutUserPolicy", "UserName", user, "PolicyName", "RequireMFA",
                "PolicyDocument", DOCUMENT));
        PutUserPolicyRequest put = policyService.last("PutUserPolicy");
        assertEquals(List.of(user, "/eng/", "RequireMFA", DOCUMENT), List.of(put.getUserName(), put.getUserPath(),
                put.getPolicyName(), put.getPolicyDocument()));
        assertEquals("iam:PutUserPolicy", enforcer.questions().get(enforcer.questions().size() - 1).action());

        policyService.answer("GetUserPolicy", GetUserPolicyResponse.newBuilder().setUserName(user)
                .setPolicyName("RequireMFA").setPolicyDocument(DOCUMENT).build());
        QueryClient.Answer got = ok(client.iam(ROOT, "GetUserPolicy", "UserName", user, "PolicyName", "RequireMFA"));
        assertEquals(List.of("UserName", "PolicyName", "PolicyDocument"), children(got, "GetUserPolicyResult"));
        assertEquals(DOCUMENT, decoded(got.text("PolicyDocument")));
        assertFalse(got.text("PolicyDocument").contains("\""));
        assertEquals("RequireMFA", ((GetUserPolicyRequest) policyService.last("GetUserPolicy")).getPolicyName());

        policyService.answer("ListUserPolicies", ListUserPoliciesResponse.newBuilder().addPolicyNames("A")
                .addPolicyNames("RequireMFA").setIsTruncated(true).setMarker("names-next").build());
        QueryClient.Answer names = ok(client.iam(ROOT, "ListUserPolicies", "UserName", user, "MaxItems", "2",
                "Marker", "n1"));
        assertEquals(List.of("A", "RequireMFA"), names.texts("member"));
        assertEquals("names-next", names.text("Marker"));
        assertEquals("n1", ((ListUserPoliciesRequest) policyService.last("ListUserPolicies")).getMarker());
        ok(client.iam(ROOT, "DeleteUserPolicy", "UserName", user, "PolicyName", "RequireMFA"));

        policyService.fail("PutGroupPolicy", new GatekeyException("MalformedPolicyDocument",
                ErrorKind.INVALID_INPUT, "Policy document should not specify a principal."));
        fails(400, "MalformedPolicyDocument", client.iam(ROOT, "PutGroupPolicy", "GroupName", group,
                "PolicyName", "Bad", "PolicyDocument", "{}"));
        assertEquals("{}", ((PutGroupPolicyRequest) policyService.last("PutGroupPolicy")).getPolicyDocument());
        policyService.answer("GetGroupPolicy", GetGroupPolicyResponse.newBuilder().setGroupName(group)
                .setPolicyName("Team").setPolicyDocument(DOCUMENT).build());
        QueryClient.Answer groupPolicy = ok(client.iam(ROOT, "GetGroupPolicy", "GroupName", group,
                "PolicyName", "Team"));
        assertEquals(List.of("GroupName", "PolicyName", "PolicyDocument"),
                children(groupPolicy, "GetGroupPolicyResult"));
        assertEquals(DOCUMENT, decoded(groupPolicy.text("PolicyDocument")));
        policyService.fail("DeleteGroupPolicy", GatekeyException.noSuchEntity("The group policy with name Gone "
                + "cannot be found."));
        fails(404, "NoSuchEntity", client.iam(ROOT, "DeleteGroupPolicy", "GroupName", group, "PolicyName", "Gone"));
        assertEquals("Gone", ((DeleteGroupPolicyRequest) policyService.last("DeleteGroupPolicy")).getPolicyName());
        QueryClient.Answer empty = ok(client.iam(ROOT, "ListGroupPolicies", "GroupName", group));
        assertEquals(1, empty.count("PolicyNames"));
        assertEquals(0, empty.count("member"));

        ok(client.iam(ROOT, "PutUserPermissionsBoundary", "UserName", user, "PermissionsBoundary", POLICY_ARN));
        PutUserPermissionsBoundaryRequest boundary = policyService.last("PutUserPermissionsBoundary");
        assertEquals(POLICY_ARN, boundary.getPermissionsBoundary());
        assertEquals("/eng/", boundary.getUserPath());
        ok(client.iam(ROOT, "DeleteUserPermissionsBoundary", "UserName", user));
        assertEquals("iam:DeleteUserPermissionsBoundary",
                enforcer.questions().get(enforcer.questions().size() - 1).action());
    }

    // ------------------------------------------------------------------ simulator

    static EvaluationResult evaluation() {
        return EvaluationResult.newBuilder().setEvalActionName("iam:CreateUser")
                .setEvalResourceName("arn:aws:iam::" + ACCOUNT + ":user/x")
                .setEvalDecision(Decision.DECISION_EXPLICIT_DENY)
                .addMatchedStatements(MatchedStatement.newBuilder().setSourcePolicyId("RequireMFA")
                        .setSourcePolicyType(PolicySourceType.POLICY_SOURCE_TYPE_USER)
                        .setStartPosition(Position.newBuilder().setLine(3).setColumn(17))
                        .setEndPosition(Position.newBuilder().setLine(9).setColumn(6)))
                .addMissingContextValues("aws:MultiFactorAuthAge")
                .putEvalDecisionDetails("IAM Policy", Decision.DECISION_EXPLICIT_DENY)
                .setPermissionsBoundaryDecisionDetail(PermissionsBoundaryDecisionDetail.newBuilder()
                        .setAllowedByPermissionsBoundary(true))
                .build();
    }

    @Test
    void simulatePrincipalPolicyAnswersAwsEvaluationResults() {
        String user = unique("sim");
        String userArn = ok(client.iam(ROOT, "CreateUser", "UserName", user)).text("Arn");
        policyService.answer("SimulatePrincipalPolicy", SimulatePrincipalPolicyResponse.newBuilder()
                .addEvaluationResults(evaluation()).setIsTruncated(true).setMarker("sim-next").build());
        QueryClient.Answer result = ok(client.iam(ROOT, "SimulatePrincipalPolicy", "PolicySourceArn", userArn,
                "ActionNames.member.1", "iam:CreateUser", "ActionNames.member.2", "iam:DeleteUser",
                "ResourceArns.member.1", "arn:aws:iam::" + ACCOUNT + ":user/x",
                "PolicyInputList.member.1", DOCUMENT,
                "ContextEntries.member.1.ContextKeyName", "aws:MultiFactorAuthPresent",
                "ContextEntries.member.1.ContextKeyValues.member.1", "true",
                "ContextEntries.member.1.ContextKeyType", "boolean",
                "ContextEntries.member.2.ContextKeyName", "aws:SourceIp",
                "ContextEntries.member.2.ContextKeyValues.member.1", "10.0.0.1",
                "ContextEntries.member.2.ContextKeyValues.member.2", "10.0.0.2",
                "ContextEntries.member.2.ContextKeyType", "ipList",
                "MaxItems", "1"));

        SimulatePrincipalPolicyRequest sent = policyService.last("SimulatePrincipalPolicy");
        assertEquals(userArn, sent.getPolicySourceArn());
        assertEquals(List.of("iam:CreateUser", "iam:DeleteUser"), sent.getActionNamesList());
        assertEquals(List.of(DOCUMENT), sent.getPolicyInputListList());
        assertEquals(2, sent.getContextEntriesCount());
        assertEquals(ContextKeyType.CONTEXT_KEY_TYPE_BOOLEAN, sent.getContextEntries(0).getContextKeyType());
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), sent.getContextEntries(1).getContextKeyValuesList());
        assertEquals(ContextKeyType.CONTEXT_KEY_TYPE_IP_LIST, sent.getContextEntries(1).getContextKeyType());
        assertEquals(1, sent.getMaxItems());
        assertTrue(enforcer.questions().stream().anyMatch(q -> q.action().equals("iam:SimulatePrincipalPolicy")
                && q.resource().equals(userArn)));

        assertEquals("SimulatePrincipalPolicyResponse", result.root());
        assertEquals("iam:CreateUser", result.text("EvalActionName"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/x", result.text("EvalResourceName"));
        assertEquals("explicitDeny", result.text("EvalDecision"));
        assertEquals("RequireMFA", result.text("SourcePolicyId"));
        assertEquals("user", result.text("SourcePolicyType"));
        assertEquals("3", ((Element) result.first("StartPosition")).getElementsByTagNameNS("*", "Line").item(0)
                .getTextContent());
        assertEquals("6", ((Element) result.first("EndPosition")).getElementsByTagNameNS("*", "Column").item(0)
                .getTextContent());
        assertEquals("aws:MultiFactorAuthAge",
                result.first("MissingContextValues").getElementsByTagNameNS("*", "member").item(0).getTextContent());
        assertEquals("IAM Policy", result.text("key"));
        assertEquals("explicitDeny", result.text("value"));
        assertEquals("true", result.text("AllowedByPermissionsBoundary"));
        assertEquals("true", result.text("IsTruncated"));
        assertEquals("sim-next", result.text("Marker"));

        int asked = policyService.calls().size();
        fails(400, "ValidationError", client.iam(ROOT, "SimulatePrincipalPolicy", "PolicySourceArn", userArn));
        fails(400, "ValidationError", client.iam(ROOT, "SimulatePrincipalPolicy", "PolicySourceArn", userArn,
                "ActionNames.member.1", "iam:GetUser", "ContextEntries.member.1.ContextKeyName", "aws:SourceIp",
                "ContextEntries.member.1.ContextKeyValues.member.1", "1.2.3.4",
                "ContextEntries.member.1.ContextKeyType", "address"));
        fails(400, "InvalidInput", client.iam(ROOT, "SimulatePrincipalPolicy", "PolicySourceArn", userArn,
                "ActionNames.member.1", "iam:GetUser", "ResourcePolicy", DOCUMENT));
        assertEquals(asked, policyService.calls().size());
    }

    @Test
    void simulateCustomPolicyEvaluatesTheGivenPoliciesOnly() {
        policyService.answer("SimulateCustomPolicy", SimulateCustomPolicyResponse.newBuilder()
                .addEvaluationResults(EvaluationResult.newBuilder().setEvalActionName("s3:GetObject")
                        .setEvalResourceName("*").setEvalDecision(Decision.DECISION_IMPLICIT_DENY)
                        .putEvalDecisionDetails("IAM Policy", Decision.DECISION_IMPLICIT_DENY))
                .build());
        QueryClient.Answer result = ok(client.iam(ROOT, "SimulateCustomPolicy", "PolicyInputList.member.1", DOCUMENT,
                "PermissionsBoundaryPolicyInputList.member.1", DOCUMENT, "ActionNames.member.1", "s3:GetObject",
                "CallerArn", "arn:aws:iam::" + ACCOUNT + ":user/alice"));
        SimulateCustomPolicyRequest sent = policyService.last("SimulateCustomPolicy");
        assertEquals(List.of(DOCUMENT), sent.getPermissionsBoundaryPolicyInputListList());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/alice", sent.getCallerArn());
        assertEquals("implicitDeny", result.text("EvalDecision"));
        assertEquals(1, result.count("MatchedStatements"));
        assertEquals(0, result.count("SourcePolicyId"));
        assertEquals(0, result.count("PermissionsBoundaryDecisionDetail"));
        assertEquals("false", result.text("IsTruncated"));
        fails(400, "ValidationError", client.iam(ROOT, "SimulateCustomPolicy", "ActionNames.member.1", "s3:Get"));
    }
}
