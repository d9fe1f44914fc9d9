package dev.gatekey.policy.grpc;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.UnaryCall;
import dev.gatekey.policy.application.AuthorizationService;
import dev.gatekey.policy.application.Page;
import dev.gatekey.policy.application.PolicyManagement;
import dev.gatekey.policy.application.PolicySimulator;
import dev.gatekey.policy.application.PolicySimulator.SimulationResult;
import dev.gatekey.policy.application.PrincipalManagement;
import dev.gatekey.policy.application.PrincipalManagement.Principal;
import dev.gatekey.policy.persistence.AttachedPolicyRecord;
import dev.gatekey.policy.persistence.PrincipalType;
import dev.gatekey.policy.v1.*;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

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
        UnaryCall.complete(observer, () -> {
            var created = management.createPolicy(CallerContext.require(), request.getPolicyName(), request.getPath(),
                    request.getPolicyDocument(), request.getDescription(), PolicyMapper.tags(request.getTagsList()));
            return CreatePolicyResponse.newBuilder()
                    .setPolicy(PolicyMapper.toProto(created.policy(), created.tags())).build();
        });
    }

    @Override
    public void getPolicy(GetPolicyRequest request, StreamObserver<GetPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var p = management.getPolicyWithTags(CallerContext.require(), request.getPolicyArn());
            return GetPolicyResponse.newBuilder().setPolicy(PolicyMapper.toProto(p.policy(), p.tags())).build();
        });
    }

    @Override
    public void listPolicies(ListPoliciesRequest request, StreamObserver<ListPoliciesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            String scope = switch (request.getScope()) {
                case POLICY_SCOPE_AWS -> "AWS";
                case POLICY_SCOPE_LOCAL -> "Local";
                default -> "All";
            };
            var page = management.listPolicies(CallerContext.require(), scope, request.getOnlyAttached(),
                    request.getPathPrefix(), usage(request.getPolicyUsageFilter()), request.getMarker(),
                    request.getMaxItems());
            var b = ListPoliciesResponse.newBuilder().setIsTruncated(page.truncated()).setMarker(page.marker());
            page.items().forEach(p -> b.addPolicies(PolicyMapper.toProto(p)));
            return b.build();
        });
    }

    @Override
    public void deletePolicy(DeletePolicyRequest request, StreamObserver<DeletePolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            management.deletePolicy(CallerContext.require(), request.getPolicyArn());
            return DeletePolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void createPolicyVersion(CreatePolicyVersionRequest request,
            StreamObserver<CreatePolicyVersionResponse> observer) {
        UnaryCall.complete(observer, () -> CreatePolicyVersionResponse.newBuilder()
                .setPolicyVersion(PolicyMapper.toProto(management.createPolicyVersion(CallerContext.require(),
                        request.getPolicyArn(), request.getPolicyDocument(), request.getSetAsDefault()), false))
                .build());
    }

    @Override
    public void getPolicyVersion(GetPolicyVersionRequest request, StreamObserver<GetPolicyVersionResponse> observer) {
        UnaryCall.complete(observer, () -> GetPolicyVersionResponse.newBuilder()
                .setPolicyVersion(PolicyMapper.toProto(management.getPolicyVersion(CallerContext.require(),
                        request.getPolicyArn(), request.getVersionId())))
                .build());
    }

    @Override
    public void listPolicyVersions(ListPolicyVersionsRequest request,
            StreamObserver<ListPolicyVersionsResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var page = management.listPolicyVersions(CallerContext.require(), request.getPolicyArn(),
                    request.getMarker(), request.getMaxItems());
            var b = ListPolicyVersionsResponse.newBuilder().setIsTruncated(page.truncated()).setMarker(page.marker());
            page.items().forEach(v -> b.addVersions(PolicyMapper.toProto(v, false)));
            return b.build();
        });
    }

    @Override
    public void deletePolicyVersion(DeletePolicyVersionRequest request,
            StreamObserver<DeletePolicyVersionResponse> observer) {
        UnaryCall.complete(observer, () -> {
            management.deletePolicyVersion(CallerContext.require(), request.getPolicyArn(), request.getVersionId());
            return DeletePolicyVersionResponse.getDefaultInstance();
        });
    }

    @Override
    public void setDefaultPolicyVersion(SetDefaultPolicyVersionRequest request,
            StreamObserver<SetDefaultPolicyVersionResponse> observer) {
        UnaryCall.complete(observer, () -> {
            management.setDefaultPolicyVersion(CallerContext.require(), request.getPolicyArn(),
                    request.getVersionId());
            return SetDefaultPolicyVersionResponse.getDefaultInstance();
        });
    }

    @Override
    public void tagPolicy(TagPolicyRequest request, StreamObserver<TagPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            management.tagPolicy(CallerContext.require(), request.getPolicyArn(),
                    PolicyMapper.tags(request.getTagsList()));
            return TagPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void untagPolicy(UntagPolicyRequest request, StreamObserver<UntagPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            management.untagPolicy(CallerContext.require(), request.getPolicyArn(), request.getTagKeysList());
            return UntagPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void listPolicyTags(ListPolicyTagsRequest request, StreamObserver<ListPolicyTagsResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var page = management.listPolicyTags(CallerContext.require(), request.getPolicyArn(), request.getMarker(),
                    request.getMaxItems());
            var b = ListPolicyTagsResponse.newBuilder().setIsTruncated(page.truncated()).setMarker(page.marker());
            page.items().forEach(t -> b.addTags(PolicyMapper.toProto(t)));
            return b.build();
        });
    }

    // ------------------------------------------------------------------ attachments

    @Override
    public void attachUserPolicy(AttachUserPolicyRequest request, StreamObserver<AttachUserPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.attachPolicy(caller, principals.user(caller, request.getUserName(), request.getUserPath()),
                    request.getPolicyArn());
            return AttachUserPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void detachUserPolicy(DetachUserPolicyRequest request, StreamObserver<DetachUserPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.detachPolicy(caller, principals.user(caller, request.getUserName(), request.getUserPath()),
                    request.getPolicyArn());
            return DetachUserPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void listAttachedUserPolicies(ListAttachedUserPoliciesRequest request,
            StreamObserver<ListAttachedUserPoliciesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            return PolicyMapper.toResponse(principals.listAttachedPolicies(caller,
                    principals.user(caller, request.getUserName(), request.getUserPath()), request.getPathPrefix(),
                    request.getMarker(), request.getMaxItems()));
        });
    }

    @Override
    public void attachGroupPolicy(AttachGroupPolicyRequest request,
            StreamObserver<AttachGroupPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.attachPolicy(caller, principals.group(caller, request.getGroupName(), request.getGroupPath()),
                    request.getPolicyArn());
            return AttachGroupPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void detachGroupPolicy(DetachGroupPolicyRequest request,
            StreamObserver<DetachGroupPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.detachPolicy(caller, principals.group(caller, request.getGroupName(), request.getGroupPath()),
                    request.getPolicyArn());
            return DetachGroupPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void listAttachedGroupPolicies(ListAttachedGroupPoliciesRequest request,
            StreamObserver<ListAttachedGroupPoliciesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            Page<AttachedPolicyRecord> page = principals.listAttachedPolicies(caller,
                    principals.group(caller, request.getGroupName(), request.getGroupPath()),
                    request.getPathPrefix(), request.getMarker(), request.getMaxItems());
            var b = ListAttachedGroupPoliciesResponse.newBuilder().setIsTruncated(page.truncated())
                    .setMarker(page.marker());
            page.items().forEach(a -> b.addAttachedPolicies(PolicyMapper.toProto(a)));
            return b.build();
        });
    }

    @Override
    public void listEntitiesForPolicy(ListEntitiesForPolicyRequest request,
            StreamObserver<ListEntitiesForPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            String filter = switch (request.getEntityFilter()) {
                case ENTITY_TYPE_USER -> "User";
                case ENTITY_TYPE_GROUP -> "Group";
                case ENTITY_TYPE_ROLE -> "Role";
                default -> null;
            };
            var page = management.listEntitiesForPolicy(CallerContext.require(), request.getPolicyArn(), filter,
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
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.putInlinePolicy(caller, principals.user(caller, request.getUserName(), request.getUserPath()),
                    request.getPolicyName(), request.getPolicyDocument());
            return PutUserPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void getUserPolicy(GetUserPolicyRequest request, StreamObserver<GetUserPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            var p = principals.getInlinePolicy(caller,
                    principals.user(caller, request.getUserName(), request.getUserPath()), request.getPolicyName());
            return GetUserPolicyResponse.newBuilder().setUserName(p.principalName()).setPolicyName(p.policyName())
                    .setPolicyDocument(p.document()).build();
        });
    }

    @Override
    public void deleteUserPolicy(DeleteUserPolicyRequest request, StreamObserver<DeleteUserPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.deleteInlinePolicy(caller,
                    principals.user(caller, request.getUserName(), request.getUserPath()), request.getPolicyName());
            return DeleteUserPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void listUserPolicies(ListUserPoliciesRequest request, StreamObserver<ListUserPoliciesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            var page = principals.listInlinePolicies(caller,
                    principals.user(caller, request.getUserName(), request.getUserPath()), request.getMarker(),
                    request.getMaxItems());
            return ListUserPoliciesResponse.newBuilder().addAllPolicyNames(page.items())
                    .setIsTruncated(page.truncated()).setMarker(page.marker()).build();
        });
    }

    @Override
    public void putGroupPolicy(PutGroupPolicyRequest request, StreamObserver<PutGroupPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.putInlinePolicy(caller,
                    principals.group(caller, request.getGroupName(), request.getGroupPath()),
                    request.getPolicyName(), request.getPolicyDocument());
            return PutGroupPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void getGroupPolicy(GetGroupPolicyRequest request, StreamObserver<GetGroupPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            var p = principals.getInlinePolicy(caller,
                    principals.group(caller, request.getGroupName(), request.getGroupPath()), request.getPolicyName());
            return GetGroupPolicyResponse.newBuilder().setGroupName(p.principalName()).setPolicyName(p.policyName())
                    .setPolicyDocument(p.document()).build();
        });
    }

    @Override
    public void deleteGroupPolicy(DeleteGroupPolicyRequest request,
            StreamObserver<DeleteGroupPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.deleteInlinePolicy(caller,
                    principals.group(caller, request.getGroupName(), request.getGroupPath()), request.getPolicyName());
            return DeleteGroupPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void listGroupPolicies(ListGroupPoliciesRequest request,
            StreamObserver<ListGroupPoliciesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            var page = principals.listInlinePolicies(caller,
                    principals.group(caller, request.getGroupName(), request.getGroupPath()), request.getMarker(),
                    request.getMaxItems());
            return ListGroupPoliciesResponse.newBuilder().addAllPolicyNames(page.items())
                    .setIsTruncated(page.truncated()).setMarker(page.marker()).build();
        });
    }

    // ------------------------------------------------------------------ boundaries and summaries

    @Override
    public void putUserPermissionsBoundary(PutUserPermissionsBoundaryRequest request,
            StreamObserver<PutUserPermissionsBoundaryResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.putUserPermissionsBoundary(caller,
                    principals.user(caller, request.getUserName(), request.getUserPath()),
                    request.getPermissionsBoundary());
            return PutUserPermissionsBoundaryResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteUserPermissionsBoundary(DeleteUserPermissionsBoundaryRequest request,
            StreamObserver<DeleteUserPermissionsBoundaryResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.deleteUserPermissionsBoundary(caller,
                    principals.user(caller, request.getUserName(), request.getUserPath()));
            return DeleteUserPermissionsBoundaryResponse.getDefaultInstance();
        });
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
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            var s = principals.userSummary(caller,
                    principals.user(caller, request.getUserName(), request.getUserPath()), request.getForAction());
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
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            var s = principals.groupSummary(caller,
                    principals.group(caller, request.getGroupName(), request.getGroupPath()), request.getForAction());
            return GetGroupPolicySummaryResponse.newBuilder().setAttachedPolicyCount(s.attachedPolicies())
                    .setInlinePolicyCount(s.inlinePolicies()).addAllUserNames(s.users()).build();
        });
    }

    // ------------------------------------------------------------------ membership mirror and renames

    @Override
    public void setUserGroups(SetUserGroupsRequest request, StreamObserver<SetUserGroupsResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            principals.setUserGroups(caller, principals.user(caller, request.getUserName(), request.getUserPath()),
                    request.getGroupNamesList(), request.getForAction(), request.getChangedGroupName(),
                    request.getChangedGroupPath());
            return SetUserGroupsResponse.getDefaultInstance();
        });
    }

    @Override
    public void renameUser(RenameUserRequest request, StreamObserver<RenameUserResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            Principal user = principals.user(caller, request.getOldUserName(), request.getUserPath());
            principals.renameUser(caller, user, request.getNewUserName(), request.getNewUserPath());
            return RenameUserResponse.getDefaultInstance();
        });
    }

    @Override
    public void renameGroup(RenameGroupRequest request, StreamObserver<RenameGroupResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            Principal group = principals.group(caller, request.getOldGroupName(), request.getGroupPath());
            principals.renameGroup(caller, group, request.getNewGroupName(), request.getNewGroupPath());
            return RenameGroupResponse.getDefaultInstance();
        });
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
            Page<SimulationResult> page = simulator.simulatePrincipal(CallerContext.require(),
                    request.getPolicySourceArn(), simulation);
            var b = SimulatePrincipalPolicyResponse.newBuilder().setIsTruncated(page.truncated())
                    .setMarker(page.marker());
            page.items().forEach(r -> b.addEvaluationResults(PolicyMapper.toProto(r)));
            return b.build();
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
            Page<SimulationResult> page = simulator.simulateCustom(CallerContext.require(), simulation);
            var b = SimulateCustomPolicyResponse.newBuilder().setIsTruncated(page.truncated())
                    .setMarker(page.marker());
            page.items().forEach(r -> b.addEvaluationResults(PolicyMapper.toProto(r)));
            return b.build();
        });
    }

    @Override
    public void getAccountPolicySummary(GetAccountPolicySummaryRequest request,
            StreamObserver<GetAccountPolicySummaryResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var s = management.accountSummary(CallerContext.require());
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

    private static String usage(PolicyUsageType t) {
        return switch (t) {
            case POLICY_USAGE_TYPE_PERMISSIONS_POLICY -> "PermissionsPolicy";
            case POLICY_USAGE_TYPE_PERMISSIONS_BOUNDARY -> "PermissionsBoundary";
            default -> null;
        };
    }
}
