package dev.gatekey.identity.grpc;

import dev.gatekey.identity.application.PolicyDirectory;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.policy.v1.DeleteUserPermissionsBoundaryRequest;
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
import java.util.concurrent.TimeUnit;

/** {@link PolicyDirectory} over policy-service's gRPC API, with the caller's token. */
@ApplicationScoped
public class PolicyServiceDirectory implements PolicyDirectory {
    private static final String PEER = "policy-service";

    @GrpcClient("policy")
    PolicyServiceGrpc.PolicyServiceBlockingStub policy;

    private PolicyServiceGrpc.PolicyServiceBlockingStub as(Caller caller) {
        return BearerToken.attach(policy, caller.token()).withDeadlineAfter(PeerCalls.DEADLINE_MILLIS,
                TimeUnit.MILLISECONDS);
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
    public void deleteUserPermissionsBoundary(Caller caller, String userName, String userPath) {
        PeerCalls.call(PEER, () -> as(caller).deleteUserPermissionsBoundary(DeleteUserPermissionsBoundaryRequest
                .newBuilder().setUserName(userName).setUserPath(userPath).build()));
    }

    @Override
    public PolicyUse groupPoliciesBeforeDelete(Caller caller, String groupName, String groupPath) {
        GetGroupPolicySummaryResponse summary = PeerCalls.call(PEER, () -> as(caller).getGroupPolicySummary(
                GetGroupPolicySummaryRequest.newBuilder().setGroupName(groupName).setGroupPath(groupPath)
                        .setForAction("iam:DeleteGroup").build()));
        return new PolicyUse(summary.getAttachedPolicyCount(), summary.getInlinePolicyCount(), null);
    }
}
