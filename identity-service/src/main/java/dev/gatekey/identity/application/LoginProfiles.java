package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.AccountPasswordPolicy;
import dev.gatekey.identity.domain.Argon2idPasswordHasher;
import dev.gatekey.identity.domain.LoginProfile;
import dev.gatekey.identity.domain.PasswordPolicy;
import dev.gatekey.identity.persistence.AccountEntity;
import dev.gatekey.identity.persistence.AccountRepository;
import dev.gatekey.identity.persistence.LoginProfileEntity;
import dev.gatekey.identity.persistence.LoginProfileRepository;
import dev.gatekey.identity.persistence.PasswordPolicyEntity;
import dev.gatekey.identity.persistence.PasswordPolicyRepository;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Console passwords (IAM API: Create/Get/Update/DeleteLoginProfile, ChangePassword) and the
 * account password policy (Get/Update/DeleteAccountPasswordPolicy), which every password set
 * must satisfy — AWS's default policy when the account has none.
 */
@ApplicationScoped
public class LoginProfiles {
    @Inject
    PolicyEnforcer enforcer;

    @Inject
    Principals principals;

    @Inject
    AccountRepository accounts;

    @Inject
    LoginProfileRepository loginProfiles;

    @Inject
    PasswordPolicyRepository passwordPolicies;

    @Inject
    UserRepository users;

    @Inject
    Argon2idPasswordHasher hasher;

    @Inject
    PasswordPolicy defaultPolicy;

    /** AWS CreateLoginProfile. */
    @Transactional
    public LoginProfile create(Caller caller, String userName, String password, boolean passwordResetRequired) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:CreateLoginProfile", userName);
        if (loginProfiles.findByIdOptional(user.userId).isPresent()) {
            throw GatekeyException.entityAlreadyExists("Login Profile for user " + user.userName + " already exists.");
        }
        checkPassword(accountId, user.userName, password);
        LoginProfileEntity profile = new LoginProfileEntity();
        profile.userId = user.userId;
        profile.passwordHash = hasher.hash(password);
        profile.passwordResetRequired = passwordResetRequired;
        profile.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        profile.passwordLastChanged = profile.createdAt;
        try {
            loginProfiles.persist(profile);
            loginProfiles.flush();
        } catch (ConstraintViolationException e) {
            throw GatekeyException.entityAlreadyExists("Login Profile for user " + user.userName + " already exists.");
        }
        return new LoginProfile(user.userName, profile.createdAt, profile.passwordResetRequired);
    }

    /** AWS GetLoginProfile. */
    @Transactional
    public LoginProfile get(Caller caller, String userName) {
        UserEntity user = principals.authorizedUser(caller, Principals.accountOf(caller), "iam:GetLoginProfile",
                userName);
        LoginProfileEntity profile = profileOf(user);
        return new LoginProfile(user.userName, profile.createdAt, profile.passwordResetRequired);
    }

    /** AWS UpdateLoginProfile: a new password and/or the reset flag. */
    @Transactional
    public void update(Caller caller, String userName, Optional<String> password,
            Optional<Boolean> passwordResetRequired) {
        String accountId = Principals.accountOf(caller);
        UserEntity user = principals.authorizedUser(caller, accountId, "iam:UpdateLoginProfile", userName);
        LoginProfileEntity profile = profileOf(user);
        if (password.isPresent()) {
            checkPassword(accountId, user.userName, password.get());
            profile.passwordHash = hasher.hash(password.get());
            profile.passwordLastChanged = Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
        passwordResetRequired.ifPresent(r -> profile.passwordResetRequired = r);
    }

    /** AWS DeleteLoginProfile. */
    @Transactional
    public void delete(Caller caller, String userName) {
        UserEntity user = principals.authorizedUser(caller, Principals.accountOf(caller), "iam:DeleteLoginProfile",
                userName);
        loginProfiles.delete(profileOf(user));
    }

    /**
     * AWS ChangePassword: an IAM user changes its own password, presenting the old one. Allowed
     * by the account policy's AllowUsersToChangePassword, or else by iam:ChangePassword.
     */
    @Transactional
    public void changePassword(Caller caller, String oldPassword, String newPassword) {
        String accountId = Principals.accountOf(caller);
        if (caller.isRoot()) {
            throw new GatekeyException("InvalidUserType", ErrorKind.INVALID_INPUT,
                    "The root user's password cannot be changed with ChangePassword.");
        }
        UserEntity self = users.findByIdOptional(caller.userId())
                .filter(u -> u.accountId.equals(accountId))
                .orElseThrow(() -> GatekeyException.noSuchEntity(
                        "The user with name " + caller.userName() + " cannot be found."));
        boolean allowedByAccount = passwordPolicies.findByIdOptional(accountId)
                .map(p -> p.allowUsersToChangePassword).orElse(false);
        if (!allowedByAccount) {
            enforcer.authorize(caller, "iam:ChangePassword", self.arn);
        }
        LoginProfileEntity profile = profileOf(self);
        if (oldPassword == null || !hasher.verify(oldPassword, profile.passwordHash)) {
            throw new AccessDeniedException("The old password is incorrect.");
        }
        checkPassword(accountId, self.userName, newPassword);
        profile.passwordHash = hasher.hash(newPassword);
        profile.passwordResetRequired = false;
        profile.passwordLastChanged = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** AWS GetAccountPasswordPolicy: NoSuchEntity when the account has none. */
    @Transactional
    public AccountPasswordPolicy getPolicy(Caller caller) {
        String accountId = Principals.accountOf(caller);
        enforcer.authorize(caller, "iam:GetAccountPasswordPolicy", "*");
        return passwordPolicies.findByIdOptional(accountId).map(PasswordPolicyEntity::toDomain).orElseThrow(() ->
                GatekeyException.noSuchEntity("The Password Policy with domain name " + accountId
                        + " cannot be found."));
    }

    /** AWS UpdateAccountPasswordPolicy: replaces the policy (omitted fields take AWS's defaults). */
    @Transactional
    public void updatePolicy(Caller caller, AccountPasswordPolicy policy) {
        String accountId = Principals.accountOf(caller);
        enforcer.authorize(caller, "iam:UpdateAccountPasswordPolicy", "*");
        PasswordPolicyEntity row = passwordPolicies.findByIdOptional(accountId).orElseGet(() -> {
            PasswordPolicyEntity e = new PasswordPolicyEntity();
            e.accountId = accountId;
            passwordPolicies.persist(e);
            return e;
        });
        row.minimumPasswordLength = policy.minimumPasswordLength();
        row.requireSymbols = policy.requireSymbols();
        row.requireNumbers = policy.requireNumbers();
        row.requireUppercaseCharacters = policy.requireUppercaseCharacters();
        row.requireLowercaseCharacters = policy.requireLowercaseCharacters();
        row.allowUsersToChangePassword = policy.allowUsersToChangePassword();
        row.maxPasswordAge = policy.maxPasswordAge().orElse(null);
        row.passwordReusePrevention = policy.passwordReusePrevention().orElse(null);
        row.hardExpiry = policy.hardExpiry();
    }

    /** AWS DeleteAccountPasswordPolicy: back to AWS's default policy. */
    @Transactional
    public void deletePolicy(Caller caller) {
        String accountId = Principals.accountOf(caller);
        enforcer.authorize(caller, "iam:DeleteAccountPasswordPolicy", "*");
        PasswordPolicyEntity row = passwordPolicies.findByIdOptional(accountId).orElseThrow(() ->
                GatekeyException.noSuchEntity("The account policy with name PasswordPolicy cannot be found."));
        passwordPolicies.delete(row);
    }

    /** The account's policy, or AWS's default, applied to a password for {@code userName}. */
    void checkPassword(String accountId, String userName, String password) {
        AccountEntity account = accounts.findById(accountId);
        var identities = Arrays.asList(userName, account == null ? null : account.accountName,
                account == null ? null : account.rootEmail);
        Optional<AccountPasswordPolicy> custom = passwordPolicies.findByIdOptional(accountId)
                .map(PasswordPolicyEntity::toDomain);
        if (custom.isPresent()) {
            custom.get().check(password, identities);
        } else {
            defaultPolicy.check(password, identities);
        }
    }

    private LoginProfileEntity profileOf(UserEntity user) {
        return loginProfiles.findByIdOptional(user.userId).orElseThrow(() -> GatekeyException.noSuchEntity(
                "Login Profile for User " + user.userName + " cannot be found."));
    }
}
