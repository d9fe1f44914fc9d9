package dev.gatekey.policy.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import dev.gatekey.policy.domain.PolicyNames;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.persistence.AttachedPolicyRecord;
import dev.gatekey.policy.persistence.InlinePolicyRecord;
import dev.gatekey.policy.persistence.ManagedPolicyRecord;
import dev.gatekey.policy.persistence.PolicyRepository;
import dev.gatekey.policy.persistence.PrincipalType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What policy-service keeps about users and groups (which identity-service owns): attached
 * managed policies, inline policies, permissions boundaries, the mirror of group memberships,
 * and renames. Users and groups are not checked for existence here. Every change bumps the
 * account's generation in its transaction, so every replica decides on it at once.
 */
@ApplicationScoped
public class PrincipalManagement {
    private static final Set<String> USER_SUMMARY_ACTIONS = Set.of("iam:GetUser", "iam:DeleteUser");
    private static final Set<String> GROUP_SUMMARY_ACTIONS = Set.of("iam:GetGroup", "iam:DeleteGroup");
    private static final Set<String> MEMBERSHIP_ACTIONS = Set.of("iam:AddUserToGroup", "iam:RemoveUserFromGroup",
            "iam:DeleteUser");

    @Inject
    PolicyRepository repository;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    PolicyManagement policies;

    /** A user or group named in a request, with its path and ARN. */
    public record Principal(PrincipalType type, String name, String path, String arn) {
        String kind() {
            return type == PrincipalType.USER ? "user" : "group";
        }
    }

    /** What GetUserPolicySummary returns; {@code boundaryArn} is null when none. */
    public record UserSummary(String boundaryArn, int attachedPolicies, int inlinePolicies, List<String> groups) {
    }

    /** What GetGroupPolicySummary returns. */
    public record GroupSummary(int attachedPolicies, int inlinePolicies, List<String> users) {
    }

    public Principal user(Caller caller, String userName, String userPath) {
        IamNames.requireUserName(userName);
        String path = IamNames.requirePath(userPath);
        return new Principal(PrincipalType.USER, userName, path, IamNames.userArn(caller.accountId(), path, userName));
    }

    public Principal group(Caller caller, String groupName, String groupPath) {
        PolicyNames.requireGroupName(groupName);
        String path = IamNames.requirePath(groupPath);
        return new Principal(PrincipalType.GROUP, groupName, path,
                PolicyNames.groupArn(caller.accountId(), path, groupName));
    }

    // ------------------------------------------------------------------ attachments

    @Transactional
    public void attachPolicy(Caller caller, Principal who, String policyArn) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, who.type() == PrincipalType.USER ? "iam:AttachUserPolicy" : "iam:AttachGroupPolicy",
                who.arn());
        ManagedPolicyRecord policy = policies.findPolicy(caller, policyArn);
        List<AttachedPolicyRecord> attached = attached(caller, who);
        boolean already = attached.stream().anyMatch(a -> a.policyId().equals(policy.policyId()));
        if (already) {
            return;
        }
        if (attached.size() >= PolicyManagement.MAX_POLICIES_PER_PRINCIPAL) {
            throw GatekeyException.limitExceeded("Cannot exceed quota for PoliciesPer"
                    + (who.type() == PrincipalType.USER ? "User" : "Group") + ": "
                    + PolicyManagement.MAX_POLICIES_PER_PRINCIPAL);
        }
        if (who.type() == PrincipalType.USER) {
            repository.attachUserPolicy(caller.accountId(), who.name(), who.path(), policy.policyId(), Instant.now());
        } else {
            repository.attachGroupPolicy(caller.accountId(), who.name(), who.path(), policy.policyId(), Instant.now());
        }
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public void detachPolicy(Caller caller, Principal who, String policyArn) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, who.type() == PrincipalType.USER ? "iam:DetachUserPolicy" : "iam:DetachGroupPolicy",
                who.arn());
        ManagedPolicyRecord policy = policies.findPolicy(caller, policyArn);
        boolean detached = who.type() == PrincipalType.USER
                ? repository.detachUserPolicy(caller.accountId(), who.name(), policy.policyId())
                : repository.detachGroupPolicy(caller.accountId(), who.name(), policy.policyId());
        if (!detached) {
            throw GatekeyException.noSuchEntity("Policy " + policyArn + " was not found.");
        }
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public Page<AttachedPolicyRecord> listAttachedPolicies(Caller caller, Principal who, String pathPrefix,
            String marker, int maxItems) {
        String prefix = PolicyNames.requirePathPrefix(pathPrefix);
        enforcer.authorize(caller, who.type() == PrincipalType.USER ? "iam:ListAttachedUserPolicies"
                : "iam:ListAttachedGroupPolicies", who.arn());
        List<AttachedPolicyRecord> out = attached(caller, who).stream().filter(a -> a.path().startsWith(prefix))
                .toList();
        return Page.of(out, marker, maxItems);
    }

    private List<AttachedPolicyRecord> attached(Caller caller, Principal who) {
        return who.type() == PrincipalType.USER ? repository.attachedUserPolicies(caller.accountId(), who.name())
                : repository.attachedGroupPolicies(caller.accountId(), who.name());
    }

    // ------------------------------------------------------------------ inline policies

    @Transactional
    public void putInlinePolicy(Caller caller, Principal who, String policyName, String document) {
        IamNames.requirePolicyName(policyName);
        boolean user = who.type() == PrincipalType.USER;
        enforcer.authorize(caller, user ? "iam:PutUserPolicy" : "iam:PutGroupPolicy", who.arn());
        PolicyParser.parseInlinePolicy(document, who.kind(), who.name(),
                user ? PolicyParser.USER_POLICY_MAX_CHARS : PolicyParser.GROUP_POLICY_MAX_CHARS);
        repository.putInlinePolicy(caller.accountId(), who.type(), who.name(), policyName, document, Instant.now());
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public InlinePolicyRecord getInlinePolicy(Caller caller, Principal who, String policyName) {
        IamNames.requirePolicyName(policyName);
        enforcer.authorize(caller, who.type() == PrincipalType.USER ? "iam:GetUserPolicy" : "iam:GetGroupPolicy",
                who.arn());
        return repository.findInlinePolicy(caller.accountId(), who.type(), who.name(), policyName)
                .orElseThrow(() -> noSuchInline(who, policyName));
    }

    @Transactional
    public void deleteInlinePolicy(Caller caller, Principal who, String policyName) {
        IamNames.requirePolicyName(policyName);
        enforcer.authorize(caller, who.type() == PrincipalType.USER ? "iam:DeleteUserPolicy"
                : "iam:DeleteGroupPolicy", who.arn());
        if (!repository.deleteInlinePolicy(caller.accountId(), who.type(), who.name(), policyName)) {
            throw noSuchInline(who, policyName);
        }
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public Page<String> listInlinePolicies(Caller caller, Principal who, String marker, int maxItems) {
        enforcer.authorize(caller, who.type() == PrincipalType.USER ? "iam:ListUserPolicies"
                : "iam:ListGroupPolicies", who.arn());
        List<String> names = repository.inlinePolicies(caller.accountId(), who.type(), who.name()).stream()
                .map(InlinePolicyRecord::policyName).toList();
        return Page.of(names, marker, maxItems);
    }

    private static GatekeyException noSuchInline(Principal who, String policyName) {
        return GatekeyException.noSuchEntity("The " + who.kind() + " policy with name " + policyName
                + " cannot be found.");
    }

    // ------------------------------------------------------------------ permissions boundaries

    @Transactional
    public void putUserPermissionsBoundary(Caller caller, Principal user, String boundaryArn) {
        PolicyNames.parsePolicyArn(boundaryArn);
        enforcer.authorize(caller, "iam:PutUserPermissionsBoundary", user.arn());
        ManagedPolicyRecord policy = policies.findPolicy(caller, boundaryArn);
        repository.putBoundary(caller.accountId(), user.name(), user.path(), policy.policyId());
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public void deleteUserPermissionsBoundary(Caller caller, Principal user) {
        enforcer.authorize(caller, "iam:DeleteUserPermissionsBoundary", user.arn());
        if (repository.deleteBoundary(caller.accountId(), user.name())) {
            repository.bumpGeneration(caller.accountId());
        }
    }

    /** The only principal DeleteBoundaryOfDeletedUser answers (identity-service, signing for itself). */
    public static final String IDENTITY_SERVICE = "gatekey:service/identity-service";

    /**
     * DeleteBoundaryOfDeletedUser: identity-service, as itself, removes the boundary of a user
     * it has just deleted after authorizing {@code iam:DeleteUser} for its caller (AWS DeleteUser
     * does not also ask for {@code iam:DeleteUserPermissionsBoundary}). No other principal may,
     * so holding iam:DeleteUser never lifts a boundary from a user that still exists; a user
     * with policies is refused as DeleteUser refuses it.
     */
    @Transactional
    public void deleteBoundaryOfDeletedUser(Caller caller, String accountId, String userName) {
        if (caller.principalType() != dev.gatekey.platform.auth.PrincipalType.SERVICE
                || !IDENTITY_SERVICE.equals(caller.principalArn())) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to perform: gatekey:DeleteBoundaryOfDeletedUser");
        }
        IamNames.requireAccountId(accountId);
        IamNames.requireUserName(userName);
        if (!repository.attachedUserPolicies(accountId, userName).isEmpty()) {
            throw PolicyManagement.deleteConflict("Cannot delete entity, must detach all policies first.");
        }
        if (!repository.inlinePolicies(accountId, PrincipalType.USER, userName).isEmpty()) {
            throw PolicyManagement.deleteConflict("Cannot delete entity, must delete policies first.");
        }
        if (repository.deleteBoundary(accountId, userName)) {
            repository.bumpGeneration(accountId);
        }
    }

    // ------------------------------------------------------------------ summaries for identity-service

    @Transactional
    public UserSummary userSummary(Caller caller, Principal user, String forAction) {
        String action = forAction == null || forAction.isEmpty() ? "iam:GetUser" : forAction;
        if (!USER_SUMMARY_ACTIONS.contains(action)) {
            throw GatekeyException.invalidInput("forAction must be iam:GetUser or iam:DeleteUser, not " + action + ".");
        }
        enforcer.authorize(caller, action, user.arn());
        String account = caller.accountId();
        return new UserSummary(repository.boundary(account, user.name()).map(AttachedPolicyRecord::arn).orElse(null),
                repository.attachedUserPolicies(account, user.name()).size(),
                repository.inlinePolicies(account, PrincipalType.USER, user.name()).size(),
                repository.userGroups(account, user.name()));
    }

    @Transactional
    public GroupSummary groupSummary(Caller caller, Principal group, String forAction) {
        String action = forAction == null || forAction.isEmpty() ? "iam:GetGroup" : forAction;
        if (!GROUP_SUMMARY_ACTIONS.contains(action)) {
            throw GatekeyException.invalidInput("forAction must be iam:GetGroup or iam:DeleteGroup, not " + action
                    + ".");
        }
        enforcer.authorize(caller, action, group.arn());
        String account = caller.accountId();
        return new GroupSummary(repository.attachedGroupPolicies(account, group.name()).size(),
                repository.inlinePolicies(account, PrincipalType.GROUP, group.name()).size(),
                repository.groupUsers(account, group.name()));
    }

    // ------------------------------------------------------------------ membership mirror and renames

    /**
     * Replaces the user's groups. Authorized as the action identity-service performs:
     * {@code iam:AddUserToGroup} / {@code iam:RemoveUserFromGroup} on the changed group's ARN
     * (inferred from whether the changed group is in the new list when {@code forAction} is
     * empty), or {@code iam:DeleteUser} on the user's ARN with an empty list.
     */
    @Transactional
    public void setUserGroups(Caller caller, Principal user, List<String> groupNames, String forAction,
            String changedGroupName, String changedGroupPath) {
        Map<String, String> groups = new LinkedHashMap<>();
        for (String g : groupNames) {
            PolicyNames.requireGroupName(g);
            groups.putIfAbsent(g.toLowerCase(Locale.ROOT), g);
        }
        String action = forAction == null ? "" : forAction;
        String resource;
        if (changedGroupName != null && !changedGroupName.isEmpty()) {
            Principal changed = group(caller, changedGroupName, changedGroupPath);
            if (action.isEmpty()) {
                action = groups.containsKey(changedGroupName.toLowerCase(Locale.ROOT)) ? "iam:AddUserToGroup"
                        : "iam:RemoveUserFromGroup";
            }
            resource = action.equals("iam:DeleteUser") ? user.arn() : changed.arn();
        } else if (action.equals("iam:DeleteUser")) {
            resource = user.arn();
        } else {
            throw GatekeyException.invalidInput("SetUserGroups needs changedGroupName (AddUserToGroup, "
                    + "RemoveUserFromGroup) or forAction iam:DeleteUser.");
        }
        if (!MEMBERSHIP_ACTIONS.contains(action)) {
            throw GatekeyException.invalidInput("forAction must be iam:AddUserToGroup, iam:RemoveUserFromGroup or "
                    + "iam:DeleteUser, not " + action + ".");
        }
        if (action.equals("iam:DeleteUser") && !groups.isEmpty()) {
            throw GatekeyException.invalidInput("With forAction iam:DeleteUser the list of groups must be empty.");
        }
        enforcer.authorize(caller, action, resource);
        repository.setUserGroups(caller.accountId(), user.name(), new ArrayList<>(groups.values()));
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public void renameUser(Caller caller, Principal user, String newUserName, String newUserPath) {
        IamNames.requireUserName(newUserName);
        String newPath = newUserPath == null || newUserPath.isEmpty() ? null : IamNames.requirePath(newUserPath);
        enforcer.authorize(caller, "iam:UpdateUser", user.arn());
        if (!newUserName.equalsIgnoreCase(user.name()) && repository.userHasRecords(caller.accountId(), newUserName)) {
            throw GatekeyException.entityAlreadyExists("User with name " + newUserName + " already exists.");
        }
        repository.renameUser(caller.accountId(), user.name(), newUserName, newPath);
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public void renameGroup(Caller caller, Principal group, String newGroupName, String newGroupPath) {
        PolicyNames.requireGroupName(newGroupName);
        String newPath = newGroupPath == null || newGroupPath.isEmpty() ? null : IamNames.requirePath(newGroupPath);
        enforcer.authorize(caller, "iam:UpdateGroup", group.arn());
        if (!newGroupName.equalsIgnoreCase(group.name())
                && repository.groupHasRecords(caller.accountId(), newGroupName)) {
            throw GatekeyException.entityAlreadyExists("Group with name " + newGroupName + " already exists.");
        }
        repository.renameGroup(caller.accountId(), group.name(), newGroupName, newPath);
        repository.bumpGeneration(caller.accountId());
    }
}
