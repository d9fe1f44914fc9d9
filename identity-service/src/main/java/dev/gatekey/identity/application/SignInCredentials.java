package dev.gatekey.identity.application;

import dev.gatekey.identity.persistence.AccountRepository;
import dev.gatekey.identity.persistence.LoginProfileEntity;
import dev.gatekey.identity.persistence.LoginProfileRepository;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** Reads the principal a sign-in names, in a short read-only transaction. */
@ApplicationScoped
public class SignInCredentials {
    /** AWS's user name of the root user in tokens (the root has no IAM user name). */
    static final String ROOT_USER_NAME = "root";

    @Inject
    AccountRepository accounts;

    @Inject
    UserRepository users;

    @Inject
    LoginProfileRepository loginProfiles;

    @Transactional
    public Optional<Principal> root(String email) {
        return accounts.findByRootEmail(email).map(a -> new Principal(IamNames.rootArn(a.accountId),
                PrincipalType.ROOT, a.accountId, a.accountId, ROOT_USER_NAME, Optional.of(a.rootPasswordHash)));
    }

    @Transactional
    public Optional<Principal> iamUser(String accountId, String userName) {
        return users.findByName(accountId, userName).map(u -> new Principal(u.arn, PrincipalType.USER,
                u.accountId, u.userId, u.userName,
                loginProfiles.findByIdOptional(u.userId).map((LoginProfileEntity p) -> p.passwordHash)));
    }
}
