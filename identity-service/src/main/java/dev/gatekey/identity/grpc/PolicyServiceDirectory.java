package dev.gatekey.identity.grpc;

import dev.gatekey.identity.application.PolicyDirectory;
import dev.gatekey.identity.application.SessionTokens;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.policy.v1.DeleteBoundaryOfDeletedUserRequest;
import dev.gatekey.policy.v1.GetGroupPolicySummaryRequest;
import dev.gatekey.policy.v1.GetGroupPolicySummaryResponse;
import dev.gatekey.policy.v1.GetUserPolicySummaryRequest;
import dev.gatekey.policy.v1.GetUserPolicySummaryResponse;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.policy.v1.RenameGroupRequest;
import dev.gatekey.policy.v1.RenameUserRequest;
import dev.gatekey.policy.v1.SetUserGroupsRequest;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import dev.gatekey.identity.config.PeerDeadlines;
import jakarta.inject.Inject;

/**
 * {@link PolicyDirectory} over policy-service's gRPC API, with the caller's token (and, for
 * DeleteBoundaryOfDeletedUser, identity-service's own service token).
 */
@ApplicationScoped
public class PolicyServiceDirectory implements PolicyDirectory {
    private static final String PEER = "policy-service";

    @GrpcClient("policy")
    PolicyServiceGrpc.PolicyServiceBlockingStub policy;

    @Inject
    PeerDeadlines deadlines;

    @Inject
    SessionTokens tokens;

    private PolicyServiceGrpc.PolicyServiceBlockingStub as(Caller caller) {
        return PeerCalls.within(BearerToken.attach(policy, caller.token()), deadlines.policy());
    }

    @Override
    public void setUserGroups(Caller caller, String userName, String userPath, List<String> groupNames,
            String forAction, String changedGroupName, String changedGroupPath) {
        PeerCalls.call(PEER, () -> as(caller).setUserGroups(SetUserGroupsRequest.newBuilder()
                .setUserName(userName).setUserPath(userPath).addAllGroupNames(groupNames).setForAction(forAction)
                .setChangedGroupName(changedGroupName == null ? "" : changedGroupName)
                .setChangedGroupPath(changedGroupPath == null ? "" : changedGroupPath).build()));
    }

    @Override
    public void renameUser(Caller caller, String oldUserName, String newUserName, String userPath,
            String newUserPath) {
        PeerCalls.call(PEER, () -> as(caller).renameUser(RenameUserRequest.newBuilder().setOldUserName(oldUserName)
                .setNewUserName(newUserName).setUserPath(userPath).setNewUserPath(newUserPath).build()));
    }

    @Override
    public void renameGroup(Caller caller, String oldGroupName, String newGroupName, String groupPath,
            String newGroupPath) {
        PeerCalls.call(PEER, () -> as(caller).renameGroup(RenameGroupRequest.newBuilder()
                .setOldGroupName(oldGroupName).setNewGroupName(newGroupName).setGroupPath(groupPath)
                .setNewGroupPath(newGroupPath).build()));
    }

    @Override
    public PolicyUse userPolicies(Caller caller, String userName, String userPath, String forAction) {
        GetUserPolicySummaryResponse summary = PeerCalls.call(PEER, () -> as(caller).getUserPolicySummary(
                GetUserPolicySummaryRequest.newBuilder().setUserName(userName).setUserPath(userPath)
                        .setForAction(forAction).build()));
        return new PolicyUse(summary.getAttachedPolicyCount(), summary.getInlinePolicyCount(),
                summary.hasPermissionsBoundary() ? summary.getPermissionsBoundary().getPermissionsBoundaryArn() : null);
    }

    @Override
    public void deleteBoundaryOfDeletedUser(String accountId, String userName) {
        PeerCalls.call(PEER, () -> PeerCalls.within(BearerToken.attach(policy, tokens.serviceToken()),
                deadlines.policy()).deleteBoundaryOfDeletedUser(DeleteBoundaryOfDeletedUserRequest.newBuilder()
                        .setAccountId(accountId).setUserName(userName).build()));
    }

    @Override
    public PolicyUse groupPoliciesBeforeDelete(Caller caller, String groupName, String groupPath) {
        GetGroupPolicySummaryResponse summary = PeerCalls.call(PEER, () -> as(caller).getGroupPolicySummary(
                GetGroupPolicySummaryRequest.newBuilder().setGroupName(groupName).setGroupPath(groupPath)
                        .setForAction("iam:DeleteGroup").build()));
        return new PolicyUse(summary.getAttachedPolicyCount(), summary.getInlinePolicyCount(), null);
    }
}
