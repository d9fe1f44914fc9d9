package dev.gatekey.identity.application;

import dev.gatekey.identity.persistence.AccessKeyEntity;
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
import java.util.Optional;

/**
 * Resolves the principal an IAM action is about — a named user, or the caller itself when no
 * user name is given (AWS: "If you do not specify a user name, IAM determines the user name
 * implicitly based on the AWS access key ID signing the request") — and authorizes the action
 * on its ARN through the policy enforcement point. A missing user is authorized on the ARN it
 * would have before NoSuchEntity, so callers without permission learn nothing.
 */
@ApplicationScoped
public class Principals {
    /** A credential owner: an IAM user, or the root user ({@code userId} null). */
    public record Owner(String accountId, String userId, String userName, String arn) {
    }

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    UserRepository users;

    public void authorize(Caller caller, String action, String resource) {
        enforcer.authorize(caller, action, resource);
    }

    /** The owner named by {@code userName} (the caller when empty), after {@code action} on it is authorized. */
    public Owner authorizedOwner(Caller caller, String userName, String action) {
        String accountId = accountOf(caller);
        if (userName == null || userName.isEmpty()) {
            if (caller.principalType() == PrincipalType.ROOT) {
                String arn = IamNames.rootArn(accountId);
                enforcer.authorize(caller, action, arn);
                return new Owner(accountId, null, "", arn);
            }
            UserEntity self = users.findByIdOptional(caller.userId())
                    .filter(u -> u.accountId.equals(accountId))
                    .orElseThrow(() -> GatekeyException.noSuchEntity(
                            "The user with name " + caller.userName() + " cannot be found."));
            enforcer.authorize(caller, action, self.arn);
            return new Owner(accountId, self.userId, self.userName, self.arn);
        }
        UserEntity user = authorizedUser(caller, accountId, action, userName);
        return new Owner(accountId, user.userId, user.userName, user.arn);
    }

    /** The named user of the caller's account after {@code action} on it is authorized. */
    public UserEntity authorizedUser(Caller caller, String accountId, String action, String userName) {
        IamNames.requireUserName(userName);
        Optional<UserEntity> user = users.findByName(accountId, userName);
        enforcer.authorize(caller, action, user.map(u -> u.arn).orElseGet(() -> IamNames.userArn(accountId, userName)));
        return user.orElseThrow(() -> GatekeyException.noSuchEntity(
                "The user with name " + userName + " cannot be found."));
    }

    public Owner ownerOfKey(AccessKeyEntity key) {
        if (key.userId == null) {
            return new Owner(key.accountId, null, "", IamNames.rootArn(key.accountId));
        }
        UserEntity user = users.findById(key.userId);
        return new Owner(key.accountId, user.userId, user.userName, user.arn);
    }

    /** The account a caller acts in; service principals have none and may not manage IAM. */
    public static String accountOf(Caller caller) {
        if (caller.principalType() == PrincipalType.SERVICE || caller.accountId() == null) {
            throw new AccessDeniedException("User: " + caller.principalArn() + " is not authorized to manage IAM");
        }
        return caller.accountId();
    }
}
