package dev.gatekey.identity.application;

import dev.gatekey.platform.auth.Caller;
import java.util.List;

/**
 * What identity-service needs from policy-service about users and groups, asked on the
 * caller's behalf (its token): the group-membership mirror policy-service evaluates group
 * policies with, renames, and whether a user still has policies (DeleteUser's DeleteConflict).
 * Only the removal of a deleted user's boundary is asked as identity-service itself.
 */
public interface PolicyDirectory {

    /**
     * policy-service SetUserGroups: {@code groupNames} is every group the user is now in.
     *
     * @param forAction the AWS action performed ({@code iam:AddUserToGroup}, ...)
     */
    void setUserGroups(Caller caller, String userName, String userPath, List<String> groupNames, String forAction,
            String changedGroupName, String changedGroupPath);

    /** policy-service RenameUser (UpdateUser with NewUserName / NewPath). */
    void renameUser(Caller caller, String oldUserName, String newUserName, String userPath, String newUserPath);

    /** policy-service RenameGroup (UpdateGroup with NewGroupName / NewPath). */
    void renameGroup(Caller caller, String oldGroupName, String newGroupName, String groupPath, String newGroupPath);

    /**
     * How many managed policies are attached to a user or group, how many inline policies it has,
     * and a user's permissions boundary (the managed policy's ARN; null when none, and for groups).
     */
    record PolicyUse(int attached, int inline, String permissionsBoundaryArn) {
    }

    /**
     * The user's policies (policy-service's GetUserPolicySummary), asked as {@code forAction} on
     * the user: {@code iam:GetUser} (its PermissionsBoundary) or {@code iam:DeleteUser} (a
     * DeleteConflict while it has policies).
     */
    PolicyUse userPolicies(Caller caller, String userName, String userPath, String forAction);

    /**
     * policy-service DeleteBoundaryOfDeletedUser, asked as identity-service itself: DeleteUser
     * removes the user's boundary with the user, authorized as {@code iam:DeleteUser} only (AWS does
     * not ask for iam:DeleteUserPermissionsBoundary), so a new user of the same name starts without.
     * Call it only after the caller was authorized for iam:DeleteUser and the user is deleted.
     */
    void deleteBoundaryOfDeletedUser(String accountId, String userName);

    /** The group's policies, asked as {@code iam:DeleteGroup}, for DeleteGroup's DeleteConflict. */
    PolicyUse groupPoliciesBeforeDelete(Caller caller, String groupName, String groupPath);
}
