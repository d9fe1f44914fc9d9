package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;

/** What identity-service needs about an account's devices: counts, users with MFA, renames. */
@ApplicationScoped
public class AccountMfa {
    @Inject
    MfaDeviceRepository devices;
    @Inject
    PolicyEnforcer policy;
    @Inject
    Clock clock;
    @Inject
    AuditTrail audit;

    /** AWS GetAccountSummary's MFA figures and the credential report's mfa_active users. */
    public record Summary(int mfaDevices, int mfaDevicesInUse, List<String> userNamesWithMfa,
            boolean accountMfaEnabled) {
    }

    @Transactional
    public Summary summary(Caller caller, String requestedAccountId) {
        String accountId;
        if (isIdentityService(caller)) {
            accountId = IamNames.requireAccountId(requestedAccountId);
        } else {
            Target.requireAccountPrincipal(caller);
            if (requestedAccountId != null && !requestedAccountId.isEmpty()
                    && !requestedAccountId.equals(caller.accountId())) {
                throw new AccessDeniedException("User: " + caller.principalArn()
                        + " is not authorized to read another account's MFA summary");
            }
            accountId = caller.accountId();
            policy.authorize(caller, "iam:GetAccountSummary", "*");
        }
        var em = devices.getEntityManager();
        Object[] counts = (Object[]) em.createNativeQuery("SELECT count(*), count(user_name), "
                + "count(*) FILTER (WHERE user_name = ?2) FROM mfa_devices WHERE account_id = ?1")
                .setParameter(1, accountId).setParameter(2, Target.ROOT).getSingleResult();
        @SuppressWarnings("unchecked")
        List<String> users = em.createNativeQuery("SELECT DISTINCT ON (lower(user_name)) user_name FROM mfa_devices "
                + "WHERE account_id = ?1 AND user_name IS NOT NULL AND user_name <> ?2 ORDER BY lower(user_name)")
                .setParameter(1, accountId).setParameter(2, Target.ROOT).getResultList();
        return new Summary(((Number) counts[0]).intValue(), ((Number) counts[1]).intValue(), users,
                ((Number) counts[2]).longValue() > 0);
    }

    /** UpdateUser NewUserName: identity-service moves the user's devices after renaming it. */
    @Transactional
    public int renameUser(Caller caller, Actor actor, String accountId, String oldName, String newName) {
        if (!isIdentityService(caller)) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to perform: gatekey:RenameUser");
        }
        IamNames.requireAccountId(accountId);
        IamNames.requireName("oldUserName", oldName, IamNames.USER_NAME_MAX);
        IamNames.requireName("newUserName", newName, IamNames.USER_NAME_MAX);
        devices.lockUser(accountId, oldName);
        devices.lockUser(accountId, newName);
        if (!oldName.equalsIgnoreCase(newName) && devices.countAssigned(accountId, newName) > 0) {
            throw GatekeyException.entityAlreadyExists("MFA devices are still assigned to a user named " + newName
                    + "; deactivate them first.");
        }
        var em = devices.getEntityManager();
        int moved = em.createNativeQuery("UPDATE mfa_devices SET user_name = ?3 WHERE account_id = ?1 "
                + "AND lower(user_name) = lower(?2)")
                .setParameter(1, accountId).setParameter(2, oldName).setParameter(3, newName).executeUpdate();
        // security keys' ceremonies under way follow the user (a key's serial keeps the name it was
        // registered under: a serial never changes)
        em.createNativeQuery("UPDATE security_key_challenges SET user_name = ?3 WHERE account_id = ?1 "
                + "AND lower(user_name) = lower(?2)")
                .setParameter(1, accountId).setParameter(2, oldName).setParameter(3, newName).executeUpdate();
        String oldKey = oldName.toLowerCase(java.util.Locale.ROOT);
        String newKey = newName.toLowerCase(java.util.Locale.ROOT);
        if (!oldKey.equals(newKey)) {
            devices.clearUserFailures(accountId, newKey);
            em.createNativeQuery("UPDATE mfa_user_failures SET user_key = ?3 WHERE account_id = ?1 AND user_key = ?2")
                    .setParameter(1, accountId).setParameter(2, oldKey).setParameter(3, newKey).executeUpdate();
        }
        audit.record(actor.event(clock.instant(), accountId, "RenameUser", null, newName,
                AuditTrail.SUCCESS + " (" + moved + " devices from " + oldName + ")"));
        return moved;
    }

    static boolean isIdentityService(Caller caller) {
        return caller.principalType() == PrincipalType.SERVICE
                && TotpSignIn.IDENTITY_SERVICE.equals(caller.principalArn());
    }
}
