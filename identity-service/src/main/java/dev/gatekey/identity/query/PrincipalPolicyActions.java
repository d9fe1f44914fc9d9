package dev.gatekey.identity.query;

import static dev.gatekey.identity.query.PolicyActions.PEER;

import dev.gatekey.identity.application.PolicySubjects;
import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.identity.application.PolicySubjects.Subject;
import dev.gatekey.identity.grpc.PeerCalls;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.policy.v1.AttachGroupPolicyRequest;
import dev.gatekey.policy.v1.AttachUserPolicyRequest;
import dev.gatekey.policy.v1.AttachedPolicy;
import dev.gatekey.policy.v1.DeleteGroupPolicyRequest;
import dev.gatekey.policy.v1.DeleteUserPermissionsBoundaryRequest;
import dev.gatekey.policy.v1.DeleteUserPolicyRequest;
import dev.gatekey.policy.v1.DetachGroupPolicyRequest;
import dev.gatekey.policy.v1.DetachUserPolicyRequest;
import dev.gatekey.policy.v1.GetGroupPolicyRequest;
import dev.gatekey.policy.v1.GetGroupPolicyResponse;
import dev.gatekey.policy.v1.GetUserPolicyRequest;
import dev.gatekey.policy.v1.GetUserPolicyResponse;
import dev.gatekey.policy.v1.ListAttachedGroupPoliciesRequest;
import dev.gatekey.policy.v1.ListAttachedGroupPoliciesResponse;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesRequest;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesResponse;
import dev.gatekey.policy.v1.ListGroupPoliciesRequest;
import dev.gatekey.policy.v1.ListGroupPoliciesResponse;
import dev.gatekey.policy.v1.ListUserPoliciesRequest;
import dev.gatekey.policy.v1.ListUserPoliciesResponse;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.policy.v1.PutGroupPolicyRequest;
import dev.gatekey.policy.v1.PutUserPermissionsBoundaryRequest;
import dev.gatekey.policy.v1.PutUserPolicyRequest;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The IAM actions on the policies of users and groups, served by policy-service:
 * Attach/Detach/ListAttached User/GroupPolicies, Put/Get/Delete/List User/GroupPolicy and
 * Put/DeleteUserPermissionsBoundary. identity-service owns users and groups: it authorizes the
 * action on the user's or group's ARN, answers NoSuchEntity for one that does not exist, and
 * gives policy-service the name as stored and the path; policy-service authorizes again as the
 * caller and acts.
 */
@ApplicationScoped
public class PrincipalPolicyActions implements QueryActions {

    @GrpcClient("policy")
    PolicyServiceGrpc.PolicyServiceBlockingStub policy;

    @Inject
    PeerDeadlines deadlines;

    @Inject
    PolicySubjects subjects;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.ofEntries(
                Map.entry("AttachUserPolicy", this::attachUserPolicy),
                Map.entry("DetachUserPolicy", this::detachUserPolicy),
                Map.entry("ListAttachedUserPolicies", this::listAttachedUserPolicies),
                Map.entry("AttachGroupPolicy", this::attachGroupPolicy),
                Map.entry("DetachGroupPolicy", this::detachGroupPolicy),
                Map.entry("ListAttachedGroupPolicies", this::listAttachedGroupPolicies),
                Map.entry("PutUserPolicy", this::putUserPolicy),
                Map.entry("GetUserPolicy", this::getUserPolicy),
                Map.entry("DeleteUserPolicy", this::deleteUserPolicy),
                Map.entry("ListUserPolicies", this::listUserPolicies),
                Map.entry("PutGroupPolicy", this::putGroupPolicy),
                Map.entry("GetGroupPolicy", this::getGroupPolicy),
                Map.entry("DeleteGroupPolicy", this::deleteGroupPolicy),
                Map.entry("ListGroupPolicies", this::listGroupPolicies),
                Map.entry("PutUserPermissionsBoundary", this::putUserPermissionsBoundary),
                Map.entry("DeleteUserPermissionsBoundary", this::deleteUserPermissionsBoundary));
    }

    private PolicyServiceGrpc.PolicyServiceBlockingStub as(Caller caller) {
        return PolicyActions.as(policy, caller, deadlines);
    }

    private Subject user(QueryRequest request, String action) {
        return subjects.user(request.caller(), action, request.required("UserName"));
    }

    private Subject group(QueryRequest request, String action) {
        return subjects.group(request.caller(), action, request.required("GroupName"));
    }

    // ------------------------------------------------------------------ managed policies

    QueryResult attachUserPolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        Subject user = user(request, "iam:AttachUserPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).attachUserPolicy(AttachUserPolicyRequest.newBuilder()
                .setUserName(user.name()).setUserPath(user.path()).setPolicyArn(arn).build()));
        return QueryResult.NONE;
    }

    QueryResult detachUserPolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        Subject user = user(request, "iam:DetachUserPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).detachUserPolicy(DetachUserPolicyRequest.newBuilder()
                .setUserName(user.name()).setUserPath(user.path()).setPolicyArn(arn).build()));
        return QueryResult.NONE;
    }

    QueryResult listAttachedUserPolicies(QueryRequest request) {
        String pathPrefix = request.string("PathPrefix").orElse("");
        String marker = request.string("Marker").orElse("");
        int maxItems = Page.maxItems(request);
        Subject user = user(request, "iam:ListAttachedUserPolicies");
        ListAttachedUserPoliciesResponse response = PeerCalls.call(PEER, () -> as(request.caller())
                .listAttachedUserPolicies(ListAttachedUserPoliciesRequest.newBuilder().setUserName(user.name())
                        .setUserPath(user.path()).setPathPrefix(pathPrefix).setMarker(marker).setMaxItems(maxItems)
                        .build()));
        return attached(response.getAttachedPoliciesList(), response.getIsTruncated(), response.getMarker());
    }

    QueryResult attachGroupPolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        Subject group = group(request, "iam:AttachGroupPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).attachGroupPolicy(AttachGroupPolicyRequest.newBuilder()
                .setGroupName(group.name()).setGroupPath(group.path()).setPolicyArn(arn).build()));
        return QueryResult.NONE;
    }

    QueryResult detachGroupPolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        Subject group = group(request, "iam:DetachGroupPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).detachGroupPolicy(DetachGroupPolicyRequest.newBuilder()
                .setGroupName(group.name()).setGroupPath(group.path()).setPolicyArn(arn).build()));
        return QueryResult.NONE;
    }

    QueryResult listAttachedGroupPolicies(QueryRequest request) {
        String pathPrefix = request.string("PathPrefix").orElse("");
        String marker = request.string("Marker").orElse("");
        int maxItems = Page.maxItems(request);
        Subject group = group(request, "iam:ListAttachedGroupPolicies");
        ListAttachedGroupPoliciesResponse response = PeerCalls.call(PEER, () -> as(request.caller())
                .listAttachedGroupPolicies(ListAttachedGroupPoliciesRequest.newBuilder().setGroupName(group.name())
                        .setGroupPath(group.path()).setPathPrefix(pathPrefix).setMarker(marker).setMaxItems(maxItems)
                        .build()));
        return attached(response.getAttachedPoliciesList(), response.getIsTruncated(), response.getMarker());
    }

    private static QueryResult attached(List<AttachedPolicy> policies, boolean truncated, String marker) {
        return xml -> xml.members("AttachedPolicies", policies, (m, p) -> m.element("PolicyName", p.getPolicyName())
                .element("PolicyArn", p.getPolicyArn())).paging(truncated, marker);
    }

    // ------------------------------------------------------------------ inline policies

    QueryResult putUserPolicy(QueryRequest request) {
        String policyName = request.required("PolicyName");
        String document = request.required("PolicyDocument");
        Subject user = user(request, "iam:PutUserPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).putUserPolicy(PutUserPolicyRequest.newBuilder()
                .setUserName(user.name()).setUserPath(user.path()).setPolicyName(policyName)
                .setPolicyDocument(document).build()));
        return QueryResult.NONE;
    }

    QueryResult getUserPolicy(QueryRequest request) {
        String policyName = request.required("PolicyName");
        Subject user = user(request, "iam:GetUserPolicy");
        GetUserPolicyResponse response = PeerCalls.call(PEER, () -> as(request.caller()).getUserPolicy(
                GetUserPolicyRequest.newBuilder().setUserName(user.name()).setUserPath(user.path())
                        .setPolicyName(policyName).build()));
        return xml -> xml.element("UserName", response.getUserName())
                .element("PolicyName", response.getPolicyName())
                .element("PolicyDocument", PolicyActions.policyDocument(response.getPolicyDocument()));
    }

    QueryResult deleteUserPolicy(QueryRequest request) {
        String policyName = request.required("PolicyName");
        Subject user = user(request, "iam:DeleteUserPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).deleteUserPolicy(DeleteUserPolicyRequest.newBuilder()
                .setUserName(user.name()).setUserPath(user.path()).setPolicyName(policyName).build()));
        return QueryResult.NONE;
    }

    QueryResult listUserPolicies(QueryRequest request) {
        String marker = request.string("Marker").orElse("");
        int maxItems = Page.maxItems(request);
        Subject user = user(request, "iam:ListUserPolicies");
        ListUserPoliciesResponse response = PeerCalls.call(PEER, () -> as(request.caller()).listUserPolicies(
                ListUserPoliciesRequest.newBuilder().setUserName(user.name()).setUserPath(user.path())
                        .setMarker(marker).setMaxItems(maxItems).build()));
        return names(response.getPolicyNamesList(), response.getIsTruncated(), response.getMarker());
    }

    QueryResult putGroupPolicy(QueryRequest request) {
        String policyName = request.required("PolicyName");
        String document = request.required("PolicyDocument");
        Subject group = group(request, "iam:PutGroupPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).putGroupPolicy(PutGroupPolicyRequest.newBuilder()
                .setGroupName(group.name()).setGroupPath(group.path()).setPolicyName(policyName)
                .setPolicyDocument(document).build()));
        return QueryResult.NONE;
    }

    QueryResult getGroupPolicy(QueryRequest request) {
        String policyName = request.required("PolicyName");
        Subject group = group(request, "iam:GetGroupPolicy");
        GetGroupPolicyResponse response = PeerCalls.call(PEER, () -> as(request.caller()).getGroupPolicy(
                GetGroupPolicyRequest.newBuilder().setGroupName(group.name()).setGroupPath(group.path())
                        .setPolicyName(policyName).build()));
        return xml -> xml.element("GroupName", response.getGroupName())
                .element("PolicyName", response.getPolicyName())
                .element("PolicyDocument", PolicyActions.policyDocument(response.getPolicyDocument()));
    }

    QueryResult deleteGroupPolicy(QueryRequest request) {
        String policyName = request.required("PolicyName");
        Subject group = group(request, "iam:DeleteGroupPolicy");
        PeerCalls.call(PEER, () -> as(request.caller()).deleteGroupPolicy(DeleteGroupPolicyRequest.newBuilder()
                .setGroupName(group.name()).setGroupPath(group.path()).setPolicyName(policyName).build()));
        return QueryResult.NONE;
    }

    QueryResult listGroupPolicies(QueryRequest request) {
        String marker = request.string("Marker").orElse("");
        int maxItems = Page.maxItems(request);
        Subject group = group(request, "iam:ListGroupPolicies");
        ListGroupPoliciesResponse response = PeerCalls.call(PEER, () -> as(request.caller()).listGroupPolicies(
                ListGroupPoliciesRequest.newBuilder().setGroupName(group.name()).setGroupPath(group.path())
                        .setMarker(marker).setMaxItems(maxItems).build()));
        return names(response.getPolicyNamesList(), response.getIsTruncated(), response.getMarker());
    }

    private static QueryResult names(List<String> names, boolean truncated, String marker) {
        return xml -> xml.members("PolicyNames", names, (m, name) -> m.text(name)).paging(truncated, marker);
    }

    // ------------------------------------------------------------------ permissions boundaries

    QueryResult putUserPermissionsBoundary(QueryRequest request) {
        String boundary = request.required("PermissionsBoundary");
        Subject user = user(request, "iam:PutUserPermissionsBoundary");
        PeerCalls.call(PEER, () -> as(request.caller()).putUserPermissionsBoundary(
                PutUserPermissionsBoundaryRequest.newBuilder().setUserName(user.name()).setUserPath(user.path())
                        .setPermissionsBoundary(boundary).build()));
        return QueryResult.NONE;
    }

    QueryResult deleteUserPermissionsBoundary(QueryRequest request) {
        Subject user = user(request, "iam:DeleteUserPermissionsBoundary");
        PeerCalls.call(PEER, () -> as(request.caller()).deleteUserPermissionsBoundary(
                DeleteUserPermissionsBoundaryRequest.newBuilder().setUserName(user.name()).setUserPath(user.path())
                        .build()));
        return QueryResult.NONE;
    }
}
