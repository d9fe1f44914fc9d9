package dev.gatekey.identity.grpc;

import dev.gatekey.identity.application.PolicyDirectory;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.policy.v1.ListAttachedGroupPoliciesRequest;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesRequest;
import dev.gatekey.policy.v1.ListGroupPoliciesRequest;
import dev.gatekey.policy.v1.ListUserPoliciesRequest;
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
    public int userPolicyCount(Caller caller, String userName, String userPath) {
        int attached = PeerCalls.call(PEER, () -> as(caller).listAttachedUserPolicies(
                ListAttachedUserPoliciesRequest.newBuilder().setUserName(userName).setUserPath(userPath)
                        .setMaxItems(1).build()).getAttachedPoliciesCount());
        int inline = PeerCalls.call(PEER, () -> as(caller).listUserPolicies(ListUserPoliciesRequest.newBuilder()
                .setUserName(userName).setUserPath(userPath).setMaxItems(1).build()).getPolicyNamesCount());
        return attached + inline;
    }

    @Override
    public int groupPolicyCount(Caller caller, String groupName, String groupPath) {
        int attached = PeerCalls.call(PEER, () -> as(caller).listAttachedGroupPolicies(
                ListAttachedGroupPoliciesRequest.newBuilder().setGroupName(groupName).setGroupPath(groupPath)
                        .setMaxItems(1).build())
                .getAttachedPoliciesCount());
        int inline = PeerCalls.call(PEER, () -> as(caller).listGroupPolicies(ListGroupPoliciesRequest.newBuilder()
                .setGroupName(groupName).setGroupPath(groupPath).setMaxItems(1).build()).getPolicyNamesCount());
        return attached + inline;
    }
}
