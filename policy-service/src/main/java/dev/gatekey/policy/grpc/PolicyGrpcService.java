package dev.gatekey.policy.grpc;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.UnaryCall;
import dev.gatekey.policy.application.AuthorizationService;
import dev.gatekey.policy.application.Page;
import dev.gatekey.policy.application.PolicyManagement;
import dev.gatekey.policy.application.PolicySimulator;
import dev.gatekey.policy.application.PrincipalManagement;
import dev.gatekey.policy.application.PrincipalManagement.Principal;
import dev.gatekey.policy.persistence.PrincipalType;
import dev.gatekey.policy.v1.*;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The gRPC face of policy-service: validate, map, call the application service, map back.
 * Every RPC but Authorize is authorized inside the application services.
 */
@GrpcService
@Blocking
public class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {

    @Inject
    AuthorizationService authorization;

    @Inject
    PolicyManagement management;

    @Inject
    PrincipalManagement principals;

    @Inject
    PolicySimulator simulator;

    @Override
    public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var caller = CallerContext.require();
            if (!request.getAction().matches("[A-Za-z0-9-]+:[A-Za-z0-9]+")) {
                throw GatekeyException.invalidInput("Action '" + request.getAction()
                        + "' is not valid: it must have the form service:Action, for example iam:GetUser.");
            }
            if (request.getResource().isEmpty()) {
                throw GatekeyException.invalidInput("Resource must be an ARN or \"*\".");
            }
            var entries = PolicyMapper.context(request.getContextEntriesList(), false);
            var result = authorization.authorize(caller, request.getAction(), request.getResource(), entries);
            return PolicyMapper.toResponse(result, caller.principalArn());
        });
    }

    // ------------------------------------------------------------------ managed policies

    @Override
    public void createPolicy(CreatePolicyRequest request, StreamObserver<CreatePolicyResponse> observer) {
        answer(observer, caller -> {
            var created = management.createPolicy(caller, request.getPolicyName(), request.getPath(),
                    request.getPolicyDocument(), request.getDescription(), PolicyMapper.tags(request.getTagsList()));
            return CreatePolicyResponse.newBuilder()
                    .setPolicy(PolicyMapper.toProto(created.policy(), created.tags())).build();
        });
    }

    @Override
    public void getPolicy(GetPolicyRequest request, StreamObserver<GetPolicyResponse> observer) {
        answer(observer, caller -> {
            var p = management.getPolicyWithTags(caller, request.getPolicyArn());
            return GetPolicyResponse.newBuilder().setPolicy(PolicyMapper.toProto(p.policy(), p.tags())).build();
        });
    }

    @Override
    public void listPolicies(ListPoliciesRequest request, StreamObserver<ListPoliciesResponse> observer) {
        String scope = switch (request.getScope()) {
            case POLICY_SCOPE_AWS -> "AWS";
            case POLICY_SCOPE_LOCAL -> "Local";
            default -> "All";
        };
        answer(observer, caller -> {
            var page = management.listPolicies(caller, scope, request.getOnlyAttached(), request.getPathPrefix(),
                    usage(request.getPolicyUsageFilter()), request.getMarker(), request.getMaxItems());
            return ListPoliciesResponse.newBuilder().setIsTruncated(page.truncated()).setMarker(page.marker())
                    .addAllPolicies(mapped(page, PolicyMapper::toProto)).build();
        });
    }

    @Override
    public void deletePolicy(DeletePolicyRequest request, StreamObserver<DeletePolicyResponse> observer) {
        acknowledge(observer, DeletePolicyResponse.getDefaultInstance(),
                caller -> management.deletePolicy(caller, request.getPolicyArn()));
    }

    @Override
    public void createPolicyVersion(CreatePolicyVersionRequest request,
            StreamObserver<CreatePolicyVersionResponse> observer) {
        answer(observer, caller -> CreatePolicyVersionResponse.newBuilder()
                .setPolicyVersion(PolicyMapper.toProto(management.createPolicyVersion(caller,
                        request.getPolicyArn(), request.getPolicyDocument(), request.getSetAsDefault()), false))
                .build());
    }

    @Override
    public void getPolicyVersion(GetPolicyVersionRequest request, StreamObserver<GetPolicyVersionResponse> observer) {
        answer(observer, caller -> GetPolicyVersionResponse.newBuilder()
                .setPolicyVersion(PolicyMapper.toProto(management.getPolicyVersion(caller,
                        request.getPolicyArn(), request.getVersionId())))
                .build());
    }

    @Override
    public void listPolicyVersions(ListPolicyVersionsRequest request,
            StreamObserver<ListPolicyVersionsResponse> observer) {
        answer(observer, caller -> {
            var page = management.listPolicyVersions(caller, request.getPolicyArn(), request.getMarker(),
                    request.getMaxItems());
            return ListPolicyVersionsResponse.newBuilder().setIsTruncated(page.truncated()).setMarker(page.marker())
                    .addAllVersions(mapped(page, v -> PolicyMapper.toProto(v, false))).build();
        });
    }

    @Override
    public void deletePolicyVersion(DeletePolicyVersionRequest request,
            StreamObserver<DeletePolicyVersionResponse> observer) {
        acknowledge(observer, DeletePolicyVersionResponse.getDefaultInstance(),
                caller -> management.deletePolicyVersion(caller, request.getPolicyArn(), request.getVersionId()));
    }

    @Override
    public void setDefaultPolicyVersion(SetDefaultPolicyVersionRequest request,
            StreamObserver<SetDefaultPolicyVersionResponse> observer) {
        acknowledge(observer, SetDefaultPolicyVersionResponse.getDefaultInstance(),
                caller -> management.setDefaultPolicyVersion(caller, request.getPolicyArn(), request.getVersionId()));
    }

    @Override
    public void tagPolicy(TagPolicyRequest request, StreamObserver<TagPolicyResponse> observer) {
        acknowledge(observer, TagPolicyResponse.getDefaultInstance(), caller -> management.tagPolicy(caller,
                request.getPolicyArn(), PolicyMapper.tags(request.getTagsList())));
    }

    @Override
    public void untagPolicy(UntagPolicyRequest request, StreamObserver<UntagPolicyResponse> observer) {
        acknowledge(observer, UntagPolicyResponse.getDefaultInstance(),
                caller -> management.untagPolicy(caller, request.getPolicyArn(), request.getTagKeysList()));
    }

    @Override
    public void listPolicyTags(ListPolicyTagsRequest request, StreamObserver<ListPolicyTagsResponse> observer) {
        answer(observer, caller -> {
            var page = management.listPolicyTags(caller, request.getPolicyArn(), request.getMarker(),
                    request.getMaxItems());
            return ListPolicyTagsResponse.newBuilder().setIsTruncated(page.truncated()).setMarker(page.marker())
                    .addAllTags(mapped(page, PolicyMapper::toProto)).build();
        });
    }

    // ------------------------------------------------------------------ attachments

    @Override
    public void attachUserPolicy(AttachUserPolicyRequest request, StreamObserver<AttachUserPolicyResponse> observer) {
        acknowledge(observer, AttachUserPolicyResponse.getDefaultInstance(),
                user(request.getUserName(), request.getUserPath()),
                (caller, user) -> principals.attachPolicy(caller, user, request.getPolicyArn()));
    }

    @Override
    public void detachUserPolicy(DetachUserPolicyRequest request, StreamObserver<DetachUserPolicyResponse> observer) {
        acknowledge(observer, DetachUserPolicyResponse.getDefaultInstance(),
                user(request.getUserName(), request.getUserPath()),
                (caller, user) -> principals.detachPolicy(caller, user, request.getPolicyArn()));
    }

    @Override
    public void listAttachedUserPolicies(ListAttachedUserPoliciesRequest request,
            StreamObserver<ListAttachedUserPoliciesResponse> observer) {
        answer(observer, user(request.getUserName(), request.getUserPath()),
                (caller, user) -> PolicyMapper.toResponse(principals.listAttachedPolicies(caller, user,
                        request.getPathPrefix(), request.getMarker(), request.getMaxItems())));
    }

    @Override
    public void attachGroupPolicy(AttachGroupPolicyRequest request,
            StreamObserver<AttachGroupPolicyResponse> observer) {
        acknowledge(observer, AttachGroupPolicyResponse.getDefaultInstance(),
                group(request.getGroupName(), request.getGroupPath()),
                (caller, group) -> principals.attachPolicy(caller, group, request.getPolicyArn()));
    }

    @Override
    public void detachGroupPolicy(DetachGroupPolicyRequest request,
            StreamObserver<DetachGroupPolicyResponse> observer) {
        acknowledge(observer, DetachGroupPolicyResponse.getDefaultInstance(),
                group(request.getGroupName(), request.getGroupPath()),
                (caller, group) -> principals.detachPolicy(caller, group, request.getPolicyArn()));
    }

    @Override
    public void listAttachedGroupPolicies(ListAttachedGroupPoliciesRequest request,
            StreamObserver<ListAttachedGroupPoliciesResponse> observer) {
        answer(observer, group(request.getGroupName(), request.getGroupPath()), (caller, group) -> {
            var page = principals.listAttachedPolicies(caller, group, request.getPathPrefix(), request.getMarker(),
                    request.getMaxItems());
            return ListAttachedGroupPoliciesResponse.newBuilder().setIsTruncated(page.truncated())
                    .setMarker(page.marker()).addAllAttachedPolicies(mapped(page, PolicyMapper::toProto)).build();
        });
    }

    @Override
    public void listEntitiesForPolicy(ListEntitiesForPolicyRequest request,
            StreamObserver<ListEntitiesForPolicyResponse> observer) {
        String filter = switch (request.getEntityFilter()) {
            case ENTITY_TYPE_USER -> "User";
            case ENTITY_TYPE_GROUP -> "Group";
            case ENTITY_TYPE_ROLE -> "Role";
            default -> null;
        };
        answer(observer, caller -> {
            var page = management.listEntitiesForPolicy(caller, request.getPolicyArn(), filter,
                    request.getPathPrefix(), usage(request.getPolicyUsageFilter()), request.getMarker(),
                    request.getMaxItems());
            var b = ListEntitiesForPolicyResponse.newBuilder().setIsTruncated(page.truncated())
                    .setMarker(page.marker());
            page.items().forEach(e -> {
                if (e.type() == PrincipalType.USER) {
                    b.addPolicyUsers(PolicyUser.newBuilder().setUserName(e.name()));
                } else {
                    b.addPolicyGroups(PolicyGroup.newBuilder().setGroupName(e.name()));
                }
            });
            return b.build();
        });
    }

    // ------------------------------------------------------------------ inline policies

    @Override
    public void putUserPolicy(PutUserPolicyRequest request, StreamObserver<PutUserPolicyResponse> observer) {
        acknowledge(observer, PutUserPolicyResponse.getDefaultInstance(),
                user(request.getUserName(), request.getUserPath()),
                (caller, user) ->
                        principals.putInlinePolicy(caller, user, request.getPolicyName(), request.getPolicyDocument()));
    }

    @Override
    public void getUserPolicy(GetUserPolicyRequest request, StreamObserver<GetUserPolicyResponse> observer) {
        answer(observer, user(request.getUserName(), request.getUserPath()), (caller, user) -> {
            var p = principals.getInlinePolicy(caller, user, request.getPolicyName());
            return GetUserPolicyResponse.newBuilder().setUserName(p.principalName()).setPolicyName(p.policyName())
                    .setPolicyDocument(p.document()).build();
        });
    }

    @Override
    public void deleteUserPolicy(DeleteUserPolicyRequest request, StreamObserver<DeleteUserPolicyResponse> observer) {
        acknowledge(observer, DeleteUserPolicyResponse.getDefaultInstance(),
                user(request.getUserName(), request.getUserPath()),
                (caller, user) -> principals.deleteInlinePolicy(caller, user, request.getPolicyName()));
    }

    @Override
    public void listUserPolicies(ListUserPoliciesRequest request, StreamObserver<ListUserPoliciesResponse> observer) {
        answer(observer, user(request.getUserName(), request.getUserPath()), (caller, user) -> {
            var page = principals.listInlinePolicies(caller, user, request.getMarker(), request.getMaxItems());
            return ListUserPoliciesResponse.newBuilder().addAllPolicyNames(page.items())
                    .setIsTruncated(page.truncated()).setMarker(page.marker()).build();
        });
    }

    @Override
    public void putGroupPolicy(PutGroupPolicyRequest request, StreamObserver<PutGroupPolicyResponse> observer) {
        acknowledge(observer, PutGroupPolicyResponse.getDefaultInstance(),
                group(request.getGroupName(), request.getGroupPath()),
                (caller, group) -> principals.putInlinePolicy(caller, group, request.getPolicyName(),
                        request.getPolicyDocument()));
    }

    @Override
    public void getGroupPolicy(GetGroupPolicyRequest request, StreamObserver<GetGroupPolicyResponse> observer) {
        answer(observer, group(request.getGroupName(), request.getGroupPath()), (caller, group) -> {
            var p = principals.getInlinePolicy(caller, group, request.getPolicyName());
            return GetGroupPolicyResponse.newBuilder().setGroupName(p.principalName()).setPolicyName(p.policyName())
                    .setPolicyDocument(p.document()).build();
        });
    }

    @Override
    public void deleteGroupPolicy(DeleteGroupPolicyRequest request,
            StreamObserver<DeleteGroupPolicyResponse> observer) {
        acknowledge(observer, DeleteGroupPolicyResponse.getDefaultInstance(),
                group(request.getGroupName(), request.getGroupPath()),
                (caller, group) -> principals.deleteInlinePolicy(caller, group, request.getPolicyName()));
    }

    @Override
    public void listGroupPolicies(ListGroupPoliciesRequest request,
            StreamObserver<ListGroupPoliciesResponse> observer) {
        answer(observer, group(request.getGroupName(), request.getGroupPath()), (caller, group) -> {
            var page = principals.listInlinePolicies(caller, group, request.getMarker(), request.getMaxItems());
            return ListGroupPoliciesResponse.newBuilder().addAllPolicyNames(page.items())
                    .setIsTruncated(page.truncated()).setMarker(page.marker()).build();
        });
    }

    // ------------------------------------------------------------------ boundaries and summaries

    @Override
    public void putUserPermissionsBoundary(PutUserPermissionsBoundaryRequest request,
            StreamObserver<PutUserPermissionsBoundaryResponse> observer) {
        acknowledge(observer, PutUserPermissionsBoundaryResponse.getDefaultInstance(),
                user(request.getUserName(), request.getUserPath()),
                (caller, user) ->
                        principals.putUserPermissionsBoundary(caller, user, request.getPermissionsBoundary()));
    }

    @Override
    public void deleteUserPermissionsBoundary(DeleteUserPermissionsBoundaryRequest request,
            StreamObserver<DeleteUserPermissionsBoundaryResponse> observer) {
        acknowledge(observer, DeleteUserPermissionsBoundaryResponse.getDefaultInstance(),
                user(request.getUserName(), request.getUserPath()),
                principals::deleteUserPermissionsBoundary);
    }

    @Override
    public void deleteBoundaryOfDeletedUser(DeleteBoundaryOfDeletedUserRequest request,
            StreamObserver<DeleteBoundaryOfDeletedUserResponse> observer) {
        UnaryCall.complete(observer, () -> {
            principals.deleteBoundaryOfDeletedUser(CallerContext.require(), request.getAccountId(),
                    request.getUserName());
            return DeleteBoundaryOfDeletedUserResponse.getDefaultInstance();
        });
    }

    @Override
    public void getUserPolicySummary(GetUserPolicySummaryRequest request,
            StreamObserver<GetUserPolicySummaryResponse> observer) {
        answer(observer, user(request.getUserName(), request.getUserPath()), (caller, user) -> {
            var s = principals.userSummary(caller, user, request.getForAction());
            var b = GetUserPolicySummaryResponse.newBuilder().setAttachedPolicyCount(s.attachedPolicies())
                    .setInlinePolicyCount(s.inlinePolicies()).addAllGroupNames(s.groups());
            if (s.boundaryArn() != null) {
                b.setPermissionsBoundary(PermissionsBoundary.newBuilder()
                        .setPermissionsBoundaryType("PermissionsBoundaryPolicy")
                        .setPermissionsBoundaryArn(s.boundaryArn()));
            }
            return b.build();
        });
    }

    @Override
    public void getGroupPolicySummary(GetGroupPolicySummaryRequest request,
            StreamObserver<GetGroupPolicySummaryResponse> observer) {
        answer(observer, group(request.getGroupName(), request.getGroupPath()), (caller, group) -> {
            var s = principals.groupSummary(caller, group, request.getForAction());
            return GetGroupPolicySummaryResponse.newBuilder().setAttachedPolicyCount(s.attachedPolicies())
                    .setInlinePolicyCount(s.inlinePolicies()).addAllUserNames(s.users()).build();
        });
    }

    // ------------------------------------------------------------------ membership mirror and renames

    @Override
    public void setUserGroups(SetUserGroupsRequest request, StreamObserver<SetUserGroupsResponse> observer) {
        acknowledge(observer, SetUserGroupsResponse.getDefaultInstance(),
                user(request.getUserName(), request.getUserPath()),
                (caller, user) -> principals.setUserGroups(caller, user, request.getGroupNamesList(),
                        request.getForAction(), request.getChangedGroupName(), request.getChangedGroupPath()));
    }

    @Override
    public void renameUser(RenameUserRequest request, StreamObserver<RenameUserResponse> observer) {
        acknowledge(observer, RenameUserResponse.getDefaultInstance(),
                user(request.getOldUserName(), request.getUserPath()),
                (caller, user) ->
                        principals.renameUser(caller, user, request.getNewUserName(), request.getNewUserPath()));
    }

    @Override
    public void renameGroup(RenameGroupRequest request, StreamObserver<RenameGroupResponse> observer) {
        acknowledge(observer, RenameGroupResponse.getDefaultInstance(),
                group(request.getOldGroupName(), request.getGroupPath()),
                (caller, group) ->
                        principals.renameGroup(caller, group, request.getNewGroupName(), request.getNewGroupPath()));
    }

    // ------------------------------------------------------------------ simulator and summary

    @Override
    public void simulatePrincipalPolicy(SimulatePrincipalPolicyRequest request,
            StreamObserver<SimulatePrincipalPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var simulation = new PolicySimulator.Simulation(request.getPolicyInputListList(),
                    request.getPermissionsBoundaryPolicyInputListList(), request.getActionNamesList(),
                    request.getResourceArnsList(), request.getCallerArn(),
                    PolicyMapper.context(request.getContextEntriesList(), true), request.getMarker(),
                    request.getMaxItems());
            var page = simulator.simulatePrincipal(CallerContext.require(), request.getPolicySourceArn(), simulation);
            return SimulatePrincipalPolicyResponse.newBuilder().setIsTruncated(page.truncated())
                    .setMarker(page.marker()).addAllEvaluationResults(mapped(page, PolicyMapper::toProto)).build();
        });
    }

    @Override
    public void simulateCustomPolicy(SimulateCustomPolicyRequest request,
            StreamObserver<SimulateCustomPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var simulation = new PolicySimulator.Simulation(request.getPolicyInputListList(),
                    request.getPermissionsBoundaryPolicyInputListList(), request.getActionNamesList(),
                    request.getResourceArnsList(), request.getCallerArn(),
                    PolicyMapper.context(request.getContextEntriesList(), true), request.getMarker(),
                    request.getMaxItems());
            var page = simulator.simulateCustom(CallerContext.require(), simulation);
            return SimulateCustomPolicyResponse.newBuilder().setIsTruncated(page.truncated())
                    .setMarker(page.marker()).addAllEvaluationResults(mapped(page, PolicyMapper::toProto)).build();
        });
    }

    @Override
    public void getAccountPolicySummary(GetAccountPolicySummaryRequest request,
            StreamObserver<GetAccountPolicySummaryResponse> observer) {
        answer(observer, caller -> {
            var s = management.accountSummary(caller);
            return GetAccountPolicySummaryResponse.newBuilder()
                    .setPolicies(s.policies())
                    .setPolicyVersionsInUse(s.policyVersionsInUse())
                    .setAttachedPoliciesPerUserQuota(10)
                    .setAttachedPoliciesPerGroupQuota(10)
                    .setAttachedPoliciesPerRoleQuota(10)
                    .setPoliciesQuota(1500)
                    .setPolicySizeQuota(6144)
                    .setPolicyVersionsInUseQuota(10000)
                    .setVersionsPerPolicyQuota(5)
                    .setUserPolicySizeQuota(2048)
                    .setGroupPolicySizeQuota(5120)
                    .setRolePolicySizeQuota(10240)
                    .build();
        });
    }

    // ------------------------------------------------------------------ mapping helpers

    /** Answers with what {@code rpc} returns for the authenticated caller. */
    private static <T> void answer(StreamObserver<T> observer, Function<Caller, T> rpc) {
        UnaryCall.complete(observer, () -> rpc.apply(CallerContext.require()));
    }

    /** Answers with what {@code rpc} returns for the caller and the user or group it names. */
    private static <T> void answer(StreamObserver<T> observer, Function<Caller, Principal> principal,
            BiFunction<Caller, Principal, T> rpc) {
        answer(observer, caller -> rpc.apply(caller, principal.apply(caller)));
    }

    /** Runs {@code rpc} for the authenticated caller and answers with the empty response. */
    private static <T> void acknowledge(StreamObserver<T> observer, T empty, Consumer<Caller> rpc) {
        answer(observer, caller -> {
            rpc.accept(caller);
            return empty;
        });
    }

    /** Runs {@code rpc} on the user or group it names and answers with the empty response. */
    private static <T> void acknowledge(StreamObserver<T> observer, T empty, Function<Caller, Principal> principal,
            BiConsumer<Caller, Principal> rpc) {
        acknowledge(observer, empty, caller -> rpc.accept(caller, principal.apply(caller)));
    }

    /** The IAM user a request names, validated, in the caller's account. */
    private Function<Caller, Principal> user(String userName, String userPath) {
        return caller -> principals.user(caller, userName, userPath);
    }

    /** The IAM group a request names, validated, in the caller's account. */
    private Function<Caller, Principal> group(String groupName, String groupPath) {
        return caller -> principals.group(caller, groupName, groupPath);
    }

    private static <R, P> List<P> mapped(Page<R> page, Function<R, P> toProto) {
        return page.items().stream().map(toProto).toList();
    }

    private static String usage(PolicyUsageType t) {
        return switch (t) {
            case POLICY_USAGE_TYPE_PERMISSIONS_POLICY -> "PermissionsPolicy";
            case POLICY_USAGE_TYPE_PERMISSIONS_BOUNDARY -> "PermissionsBoundary";
            default -> null;
        };
    }
}
