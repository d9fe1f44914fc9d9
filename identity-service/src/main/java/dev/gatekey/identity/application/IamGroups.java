package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.IamGroup;
import dev.gatekey.identity.domain.IamUser;
import dev.gatekey.identity.persistence.GroupEntity;
import dev.gatekey.identity.persistence.GroupMembershipEntity;
import dev.gatekey.identity.persistence.GroupMembershipRepository;
import dev.gatekey.identity.persistence.GroupRepository;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.identity.domain.CredentialIds;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/**
 * IAM groups and memberships (CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
 * AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser). policy-service evaluates group
 * policies from a mirror of the memberships: every membership change calls its SetUserGroups
 * in the same transaction, and is rolled back when that call fails.
 */
@ApplicationScoped
public class IamGroups {
    /** AWS: a group name is 1-128 characters. */
    public static final int GROUP_NAME_MAX = 128;
    /** AWS's quota GroupsPerUser. */
    public static final int MAX_GROUPS_PER_USER = 10;

    /** A group with one page of its users (GetGroup). */
    public record GroupWithUsers(IamGroup group, List<IamUser> users) {
    }

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    Principals principals;

    @Inject
    GroupRepository groups;

    @Inject
    GroupMembershipRepository memberships;

    @Inject
    PolicyDirectory policies;

    @Inject
    UserRepository users;

    @Inject
    CredentialIds ids;

    @Transactional
    public IamGroup create(Caller caller, String groupName, String path) {
        String accountId = Principals.accountOf(caller);
        requireGroupName("groupName", groupName);
        String p = IamNames.requirePath(path);
        String arn = groupArn(accountId, p, groupName);
        enforcer.authorize(caller, "iam:CreateGroup", arn);
        if (groups.findByName(accountId, groupName).isPresent()) {
            throw GatekeyException.entityAlreadyExists("Group with name " + groupName + " already exists.");
        }
        GroupEntity group = new GroupEntity();
        group.groupId = ids.newGroupId();
        group.accountId = accountId;
        group.groupName = groupName;
        group.path = p;
        group.arn = arn;
        group.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            groups.persist(group);
            groups.flush();
        } catch (ConstraintViolationException e) {
            throw GatekeyException.entityAlreadyExists("Group with name " + groupName + " already exists.");
        }
        return group.toDomain();
    }

    @Transactional
    public GroupWithUsers get(Caller caller, String groupName) {
        GroupEntity group = authorizedGroup(caller, Principals.accountOf(caller), "iam:GetGroup", groupName);
        return new GroupWithUsers(group.toDomain(),
                memberships.usersOf(group.groupId).stream().map(UserEntity::toDomain).toList());
    }

    @Transactional
    public List<IamGroup> list(Caller caller, String pathPrefix) {
        String accountId = Principals.accountOf(caller);
        String prefix = IamUsers.requirePathPrefix(pathPrefix);
        enforcer.authorize(caller, "iam:ListGroups", "arn:aws:iam::" + accountId + ":group/");
        return groups.listByPathPrefix(accountId, prefix).stream().map(GroupEntity::toDomain).toList();
    }

    @Transactional
    public List<IamGroup> listForUser(Caller caller, String userName) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:ListGroupsForUser", userName);
        return groups.listForUser(user.userId).stream().map(GroupEntity::toDomain).toList();
    }

    /** AWS UpdateGroup: new name and/or path; policy-service renames its side in the same request. */
    @Transactional
    public void update(Caller caller, String groupName, Optional<String> newGroupName, Optional<String> newPath) {
        String accountId = Principals.accountOf(caller);
        GroupEntity group = authorizedGroup(caller, accountId, "iam:UpdateGroup", groupName);
        String name = newGroupName.map(n -> requireGroupName("newGroupName", n)).orElse(group.groupName);
        String path = newPath.map(IamNames::requirePath).orElse(group.path);
        if (!name.equalsIgnoreCase(group.groupName) && groups.findByName(accountId, name).isPresent()) {
            throw GatekeyException.entityAlreadyExists("Group with name " + name + " already exists.");
        }
        String newArn = groupArn(accountId, path, name);
        if (!newArn.equals(group.arn)) {
            enforcer.authorize(caller, "iam:UpdateGroup", newArn);
        }
        String oldName = group.groupName;
        String oldPath = group.path;
        group.groupName = name;
        group.path = path;
        group.arn = newArn;
        groups.flush();
        if (!oldName.equals(name) || !oldPath.equals(path)) {
            policies.renameGroup(caller, oldName, name, oldPath, path);
        }
    }

    /** AWS DeleteGroup: DeleteConflict while it has users or policies. */
    @Transactional
    public void delete(Caller caller, String groupName) {
        String accountId = Principals.accountOf(caller);
        GroupEntity group = authorizedGroup(caller, accountId, "iam:DeleteGroup", groupName);
        if (memberships.countForGroup(group.groupId) > 0) {
            throw new GatekeyException("DeleteConflict", ErrorKind.CONFLICT,
                    "Cannot delete entity, must remove users from group first.");
        }
        PolicyDirectory.PolicyUse use = policies.groupPoliciesBeforeDelete(caller, group.groupName, group.path);
        if (use.attached() > 0) {
            throw new GatekeyException("DeleteConflict", ErrorKind.CONFLICT,
                    "Cannot delete entity, must detach all policies first.");
        }
        if (use.inline() > 0) {
            throw new GatekeyException("DeleteConflict", ErrorKind.CONFLICT,
                    "Cannot delete entity, must delete policies first.");
        }
        groups.delete(group);
    }

    @Transactional
    public void addUser(Caller caller, String groupName, String userName) {
        String accountId = Principals.accountOf(caller);
        GroupEntity group = authorizedGroup(caller, accountId, "iam:AddUserToGroup", groupName);
        UserEntity user = existingUser(accountId, userName);
        groups.getEntityManager().find(UserEntity.class, user.userId, LockModeType.PESSIMISTIC_WRITE);
        if (memberships.findByIdOptional(new GroupMembershipEntity.Key(group.groupId, user.userId)).isPresent()) {
            return; // AWS: adding a member again succeeds and changes nothing
        }
        if (memberships.countForUser(user.userId) >= MAX_GROUPS_PER_USER) {
            throw new GatekeyException("LimitExceeded", ErrorKind.LIMIT_EXCEEDED,
                    "Cannot exceed quota for GroupsPerUser: " + MAX_GROUPS_PER_USER);
        }
        GroupMembershipEntity m = new GroupMembershipEntity();
        m.groupId = group.groupId;
        m.userId = user.userId;
        memberships.persist(m);
        memberships.flush();
        mirror(caller, user, "iam:AddUserToGroup", group);
    }

    @Transactional
    public void removeUser(Caller caller, String groupName, String userName) {
        String accountId = Principals.accountOf(caller);
        GroupEntity group = authorizedGroup(caller, accountId, "iam:RemoveUserFromGroup", groupName);
        UserEntity user = existingUser(accountId, userName);
        groups.getEntityManager().find(UserEntity.class, user.userId, LockModeType.PESSIMISTIC_WRITE);
        GroupMembershipEntity m = memberships.findByIdOptional(new GroupMembershipEntity.Key(group.groupId,
                user.userId)).orElseThrow(() -> GatekeyException.noSuchEntity("The user with name " + user.userName
                        + " cannot be found in group " + group.groupName + "."));
        memberships.delete(m);
        memberships.flush();
        mirror(caller, user, "iam:RemoveUserFromGroup", group);
    }

    /** Tells policy-service every group the user is now in; a failure rolls the change back. */
    private void mirror(Caller caller, UserEntity user, String action, GroupEntity changed) {
        List<String> names = groups.listForUser(user.userId).stream().map(g -> g.groupName).toList();
        policies.setUserGroups(caller, user.userName, user.path, names, action, changed.groupName, changed.path);
    }

    private UserEntity existingUser(String accountId, String userName) {
        IamNames.requireUserName(userName);
        return users.findByName(accountId, userName).orElseThrow(() -> GatekeyException.noSuchEntity(
                "The user with name " + userName + " cannot be found."));
    }

    GroupEntity authorizedGroup(Caller caller, String accountId, String action, String groupName) {
        requireGroupName("groupName", groupName);
        Optional<GroupEntity> group = groups.findByName(accountId, groupName);
        enforcer.authorize(caller, action, group.map(g -> g.arn).orElseGet(() -> groupArn(accountId, "/", groupName)));
        return group.orElseThrow(() -> GatekeyException.noSuchEntity(
                "The group with name " + groupName + " cannot be found."));
    }

    static String requireGroupName(String parameter, String name) {
        return IamNames.requireName(parameter, name, GROUP_NAME_MAX);
    }

    /** {@code arn:aws:iam::<account>:group<path><name>}. */
    public static String groupArn(String accountId, String path, String groupName) {
        return "arn:aws:iam::" + accountId + ":group" + path + groupName;
    }
}
