package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.IamUser;
import dev.gatekey.identity.domain.UniqueIds;
import dev.gatekey.identity.persistence.AccessKeyRepository;
import dev.gatekey.identity.persistence.AccountEntity;
import dev.gatekey.identity.persistence.AccountRepository;
import dev.gatekey.identity.persistence.GroupMembershipRepository;
import dev.gatekey.identity.persistence.LoginProfileRepository;
import dev.gatekey.identity.persistence.SessionCredentialRepository;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.identity.persistence.UserTagEntity;
import dev.gatekey.identity.persistence.UserTagRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hibernate.exception.ConstraintViolationException;

/**
 * IAM user management for a signed-in caller, within the caller's account (CreateUser,
 * GetUser, ListUsers, UpdateUser, DeleteUser, TagUser, UntagUser, ListUserTags). Every action is
 * authorized by the policy enforcement point before anything is read back or written; when the
 * target does not exist the action is authorized on the ARN it would have, so that a caller
 * without permission cannot learn which users exist.
 */
@ApplicationScoped
public class IamUsers {
    /** AWS: at most 50 tags per IAM resource. */
    public static final int MAX_TAGS = 50;
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    Principals principals;

    @Inject
    AccountRepository accounts;

    @Inject
    UserRepository users;

    @Inject
    UserTagRepository tags;

    @Inject
    LoginProfileRepository loginProfiles;

    @Inject
    AccessKeyRepository accessKeys;

    @Inject
    GroupMembershipRepository memberships;

    @Inject
    SessionCredentialRepository sessions;

    @Inject
    PolicyDirectory policies;

    @Inject
    MfaDirectory mfa;

    @Inject
    UniqueIds uniqueIds;

    /** AWS CreateUser. */
    @Transactional
    public IamUser createUser(Caller caller, String userName, String path) {
        return createUser(caller, userName, path, Map.of());
    }

    /** AWS CreateUser with tags (iam:TagUser is not needed in addition, as in AWS's CreateUser). */
    @Transactional
    public IamUser createUser(Caller caller, String userName, String path, Map<String, String> newTags) {
        String accountId = Principals.accountOf(caller);
        IamNames.requireUserName(userName);
        String p = IamNames.requirePath(path);
        requireTags(newTags, 0);
        String arn = IamNames.userArn(accountId, p, userName);
        enforcer.authorize(caller, "iam:CreateUser", arn);
        if (users.findByName(accountId, userName).isPresent()) {
            throw GatekeyException.entityAlreadyExists("User with name " + userName + " already exists.");
        }
        UserEntity user = new UserEntity();
        user.userId = uniqueIds.newUserId();
        user.accountId = accountId;
        user.userName = userName;
        user.path = p;
        user.arn = arn;
        user.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        try {
            users.persist(user);
            users.flush();
        } catch (ConstraintViolationException e) {
            // A concurrent CreateUser of the same name won: the unique index decided.
            throw GatekeyException.entityAlreadyExists("User with name " + userName + " already exists.");
        }
        newTags.forEach((k, v) -> persistTag(user.userId, k, v));
        return user.toDomain();
    }

    /** AWS GetUser; {@code userName} empty means the caller itself. */
    @Transactional
    public IamUser getUser(Caller caller, String userName) {
        String accountId = Principals.accountOf(caller);
        if (userName == null || userName.isEmpty()) {
            return self(caller, accountId);
        }
        return principals.authorizedUser(caller, accountId, "iam:GetUser", userName).toDomain();
    }

    /** The user's permissions boundary (AWS GetUser's PermissionsBoundary), kept by policy-service. */
    public Optional<String> permissionsBoundary(Caller caller, IamUser user) {
        if (user.userName().isEmpty()) {
            return Optional.empty(); // the root user has none
        }
        return Optional.ofNullable(policies.userPolicies(caller, user.userName(), user.path(), "iam:GetUser")
                .permissionsBoundaryArn());
    }

    /** AWS ListUsers: users whose path starts with {@code pathPrefix}, by name. */
    @Transactional
    public List<IamUser> listUsers(Caller caller, String pathPrefix) {
        String accountId = Principals.accountOf(caller);
        String prefix = requirePathPrefix(pathPrefix);
        enforcer.authorize(caller, "iam:ListUsers", "arn:aws:iam::" + accountId + ":user/");
        return users.list("accountId = ?1 order by lower(userName)", accountId).stream()
                .filter(u -> u.path.startsWith(prefix)).map(UserEntity::toDomain).toList();
    }

    /**
     * AWS UpdateUser: a new name and/or path. policy-service and mfa-device-service rename what
     * they keep by user name in the same request; if either refuses, nothing changes.
     */
    @Transactional
    public void updateUser(Caller caller, String userName, String newUserName, String newPath) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:UpdateUser", userName);
        String name = newUserName == null ? user.userName : IamNames.requireName("newUserName", newUserName,
                IamNames.USER_NAME_MAX);
        String path = newPath == null ? user.path : IamNames.requirePath(newPath);
        if (!name.equalsIgnoreCase(user.userName) && users.findByName(accountId, name).isPresent()) {
            throw GatekeyException.entityAlreadyExists("User with name " + name + " already exists.");
        }
        String newArn = IamNames.userArn(accountId, path, name);
        if (!newArn.equals(user.arn)) {
            enforcer.authorize(caller, "iam:UpdateUser", newArn); // AWS: both the old and the new ARN
        }
        String oldName = user.userName;
        String oldPath = user.path;
        user.userName = name;
        user.path = path;
        user.arn = newArn;
        users.flush();
        if (!oldName.equals(name) || !oldPath.equals(path)) {
            policies.renameUser(caller, oldName, name, oldPath, path);
            if (!oldName.equals(name)) {
                try {
                    mfa.renameUser(caller, accountId, oldName, name);
                } catch (RuntimeException e) {
                    // undo policy-service's rename; this transaction rolls back
                    policies.renameUser(caller, name, oldName, path, oldPath);
                    throw e;
                }
            }
        }
    }

    /**
     * AWS DeleteUser: refused with DeleteConflict while the user has a login profile, access
     * keys, MFA devices, group memberships or policies (IAM API reference, DeleteUser).
     */
    @Transactional
    public void deleteUser(Caller caller, String userName) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:DeleteUser", userName);
        if (loginProfiles.findByIdOptional(user.userId).isPresent()) {
            throw deleteConflict("Cannot delete entity, must delete login profile first.");
        }
        if (!accessKeys.findByOwner(accountId, user.userId).isEmpty()) {
            throw deleteConflict("Cannot delete entity, must delete access keys first.");
        }
        if (memberships.countForUser(user.userId) > 0) {
            throw deleteConflict("Cannot delete entity, must remove users from group first.");
        }
        if (mfa.deviceCount(caller, user.userName) > 0) {
            throw deleteConflict("Cannot delete entity, must delete MFA device first.");
        }
        // policy-service owns the user's policies; when it cannot answer, nothing is deleted
        PolicyDirectory.PolicyUse use = policies.userPolicies(caller, user.userName, user.path, "iam:DeleteUser");
        if (use.attached() > 0) {
            throw deleteConflict("Cannot delete entity, must detach all policies first.");
        }
        if (use.inline() > 0) {
            throw deleteConflict("Cannot delete entity, must delete policies first.");
        }
        sessions.delete("userId", user.userId);
        tags.delete("userId", user.userId);
        users.delete(user);
        users.flush();
        policies.setUserGroups(caller, user.userName, user.path, List.of(), "iam:DeleteUser", null, null);
        if (use.permissionsBoundaryArn() != null) {
            // last, so that a DeleteUser that fails never leaves the user without its boundary
            policies.deleteBoundaryOfDeletedUser(accountId, user.userName);
        }
    }

    /** AWS TagUser: adds or overwrites tags (keys compared ignoring case), at most 50 in all. */
    @Transactional
    public void tagUser(Caller caller, String userName, Map<String, String> newTags) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:TagUser", userName);
        if (newTags.isEmpty()) {
            throw IamNames.validationError("tags", null, "Member must have length greater than or equal to 1");
        }
        Map<String, UserTagEntity> existing = new LinkedHashMap<>();
        for (UserTagEntity t : tags.forUser(user.userId)) {
            existing.put(t.key.toLowerCase(Locale.ROOT), t);
        }
        long added = newTags.keySet().stream().filter(k -> !existing.containsKey(k.toLowerCase(Locale.ROOT))).count();
        requireTags(newTags, existing.size() + (int) added - newTags.size());
        newTags.forEach((k, v) -> {
            UserTagEntity old = existing.get(k.toLowerCase(Locale.ROOT));
            if (old != null) {
                tags.delete(old);
                tags.flush();
            }
            persistTag(user.userId, k, v);
        });
    }

    /** AWS UntagUser: removes the tags with these keys (absent keys are ignored, as AWS). */
    @Transactional
    public void untagUser(Caller caller, String userName, List<String> keys) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:UntagUser", userName);
        for (String key : keys) {
            tags.delete("userId = ?1 and lower(key) = lower(?2)", user.userId, key);
        }
    }

    /** AWS ListUserTags, by key. */
    @Transactional
    public Map<String, String> listUserTags(Caller caller, String userName) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:ListUserTags", userName);
        return tagsOf(user.userId);
    }

    /** The user's tags without an authorization of their own (GetUser returns them). */
    @Transactional
    public Map<String, String> tagsOf(String userId) {
        Map<String, String> result = new LinkedHashMap<>();
        for (UserTagEntity t : tags.forUser(userId)) {
            result.put(t.key, t.value);
        }
        return result;
    }

    private void persistTag(String userId, String key, String value) {
        UserTagEntity tag = new UserTagEntity();
        tag.userId = userId;
        tag.key = key;
        tag.value = value;
        tags.persist(tag);
    }

    /** AWS's tag rules: keys 1-128, values 0-256 characters of letters, digits, spaces and {@code _.:/=+-@}. */
    static void requireTags(Map<String, String> newTags, int existing) {
        if (existing + newTags.size() > MAX_TAGS) {
            throw new GatekeyException("LimitExceeded", ErrorKind.LIMIT_EXCEEDED,
                    "The number of tags has reached the maximum limit.");
        }
        newTags.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.length() > 128 || !TAG_TEXT.matcher(k).matches()) {
                throw IamNames.validationError("tags.member.key", k, "Member must have length between 1 and 128"
                        + " and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
            }
            if (v == null || v.length() > 256 || !TAG_TEXT.matcher(v).matches()) {
                throw IamNames.validationError("tags.member.value", v, "Member must have length less than or equal"
                        + " to 256 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
            }
        });
    }

    /** A PathPrefix: {@code /} by default, else starting with {@code /}. */
    static String requirePathPrefix(String pathPrefix) {
        if (pathPrefix == null || pathPrefix.isEmpty()) {
            return "/";
        }
        if (pathPrefix.length() > 512 || !pathPrefix.matches("/[\\u0021-\\u007F]*")) {
            throw IamNames.validationError("pathPrefix", pathPrefix, "Member must have length between 1 and 512"
                    + " and satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
        }
        return pathPrefix;
    }

    private static GatekeyException deleteConflict(String message) {
        return new GatekeyException("DeleteConflict", ErrorKind.CONFLICT, message);
    }

    /**
     * GetUser without a name: the caller. An IAM user needs iam:GetUser on itself, as in AWS;
     * the root user is described by its account (user id = account id, root ARN).
     */
    private IamUser self(Caller caller, String accountId) {
        if (caller.principalType() == PrincipalType.ROOT) {
            AccountEntity account = accounts.findByIdOptional(accountId).orElseThrow(() ->
                    GatekeyException.noSuchEntity("The account " + accountId + " cannot be found."));
            return new IamUser(accountId, accountId, "", "", IamNames.rootArn(accountId), account.createdAt);
        }
        enforcer.authorize(caller, "iam:GetUser", caller.principalArn());
        return users.findByIdOptional(caller.userId())
                .filter(u -> u.accountId.equals(accountId))
                .orElseThrow(() -> GatekeyException.noSuchEntity(
                        "The user with name " + caller.userName() + " cannot be found."))
                .toDomain();
    }
}
