package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.Argon2idPasswordHasher;
import dev.gatekey.identity.domain.IamUser;
import dev.gatekey.identity.domain.LoginProfile;
import dev.gatekey.identity.domain.PasswordPolicy;
import dev.gatekey.identity.domain.UniqueIds;
import dev.gatekey.identity.persistence.AccountEntity;
import dev.gatekey.identity.persistence.AccountRepository;
import dev.gatekey.identity.persistence.LoginProfileEntity;
import dev.gatekey.identity.persistence.LoginProfileRepository;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import org.hibernate.exception.ConstraintViolationException;

/**
 * IAM user management for a signed-in caller, within the caller's account. Every action is
 * authorized by the policy enforcement point before anything is read back or written; when the
 * target does not exist the action is authorized on the ARN it would have, so that a caller
 * without permission cannot learn which users exist.
 */
@ApplicationScoped
public class IamUsers {
    @Inject
    PolicyEnforcer enforcer;

    @Inject
    AccountRepository accounts;

    @Inject
    UserRepository users;

    @Inject
    LoginProfileRepository loginProfiles;

    @Inject
    Argon2idPasswordHasher hasher;

    @Inject
    PasswordPolicy passwordPolicy;

    @Inject
    UniqueIds uniqueIds;

    /** AWS CreateUser. */
    @Transactional
    public IamUser createUser(Caller caller, String userName, String path) {
        String accountId = accountOf(caller);
        IamNames.requireUserName(userName);
        String p = IamNames.requirePath(path);
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
        return user.toDomain();
    }

    /** AWS GetUser; {@code userName} empty means the caller itself. */
    @Transactional
    public IamUser getUser(Caller caller, String userName) {
        String accountId = accountOf(caller);
        if (userName == null || userName.isEmpty()) {
            return self(caller, accountId);
        }
        IamNames.requireUserName(userName);
        UserEntity user = authorizedUser(caller, accountId, "iam:GetUser", userName);
        return user.toDomain();
    }

    /** AWS CreateLoginProfile. */
    @Transactional
    public LoginProfile createLoginProfile(Caller caller, String userName, String password,
            boolean passwordResetRequired) {
        String accountId = accountOf(caller);
        IamNames.requireUserName(userName);
        UserEntity user = authorizedUser(caller, accountId, "iam:CreateLoginProfile", userName);
        if (loginProfiles.findByIdOptional(user.userId).isPresent()) {
            throw GatekeyException.entityAlreadyExists("Login Profile for user " + user.userName + " already exists.");
        }
        AccountEntity account = accounts.findById(accountId);
        passwordPolicy.check(password, Arrays.asList(user.userName, account == null ? null : account.accountName,
                account == null ? null : account.rootEmail));
        LoginProfileEntity profile = new LoginProfileEntity();
        profile.userId = user.userId;
        profile.passwordHash = hasher.hash(password);
        profile.passwordResetRequired = passwordResetRequired;
        profile.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        try {
            loginProfiles.persist(profile);
            loginProfiles.flush();
        } catch (ConstraintViolationException e) {
            throw GatekeyException.entityAlreadyExists("Login Profile for user " + user.userName + " already exists.");
        }
        return new LoginProfile(user.userName, profile.createdAt, profile.passwordResetRequired);
    }

    /**
     * The named user after {@code action} on it is authorized; a missing user is authorized on
     * the ARN with the default path first, then reported as NoSuchEntity.
     */
    private UserEntity authorizedUser(Caller caller, String accountId, String action, String userName) {
        var user = users.findByName(accountId, userName);
        enforcer.authorize(caller, action, user.map(u -> u.arn)
                .orElseGet(() -> IamNames.userArn(accountId, "/", userName)));
        return user.orElseThrow(() -> GatekeyException.noSuchEntity(
                "The user with name " + userName + " cannot be found."));
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

    /** The account a caller acts in; service principals have none and may not manage users. */
    private static String accountOf(Caller caller) {
        if (caller.principalType() == PrincipalType.SERVICE || caller.accountId() == null) {
            throw new AccessDeniedException("User: " + caller.principalArn() + " is not authorized to manage IAM users");
        }
        return caller.accountId();
    }
}
