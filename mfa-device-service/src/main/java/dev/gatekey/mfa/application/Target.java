package dev.gatekey.mfa.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.iam.IamNames;
import java.util.Locale;

/**
 * Whose devices a management call is about: the named IAM user, else the caller itself (the
 * root user when root calls without a name).
 *
 * @param storedName the value of {@code mfa_devices.user_name} ({@link #ROOT} for the root user)
 * @param displayName what AWS shows as UserName (empty for the root user)
 * @param arn the resource ARN authorization is asked for
 */
public record Target(String accountId, String storedName, String displayName, String arn) {
    /**
     * How the root user is stored in {@code mfa_devices.user_name}: {@code $} is not allowed in
     * IAM user names, so it can never be a user's.
     */
    public static final String ROOT = "$root";

    public boolean isRoot() {
        return ROOT.equals(storedName);
    }

    /** The key of {@code mfa_user_failures}. */
    public String failureKey() {
        return storedName.toLowerCase(Locale.ROOT);
    }

    /** The target of a call by {@code caller} naming {@code requested} (empty: itself). */
    public static Target of(Caller caller, String requested) {
        requireAccountPrincipal(caller);
        if (requested != null && !requested.isEmpty()) {
            String userName = IamNames.requireUserName(requested);
            return new Target(caller.accountId(), userName, userName, userArn(caller, userName));
        }
        if (caller.isRoot()) {
            return root(caller.accountId());
        }
        String self = IamNames.requireUserName(caller.userName());
        return new Target(caller.accountId(), self, self, userArn(caller, self));
    }

    public static Target root(String accountId) {
        return new Target(accountId, ROOT, "", IamNames.rootArn(accountId));
    }

    /** A target named by a trusted service (identity-service): empty user name is the root user. */
    public static Target named(String accountId, String userName) {
        if (userName == null || userName.isEmpty()) {
            return root(accountId);
        }
        String valid = IamNames.requireUserName(userName);
        return new Target(accountId, valid, valid, IamNames.userArn(accountId, valid));
    }

    /** What a stored user name is shown as. */
    public static String displayName(String storedName) {
        return ROOT.equals(storedName) ? "" : storedName;
    }

    /** Whether the caller acts on itself. */
    public boolean isCaller(Caller caller) {
        if (isRoot()) {
            return caller.isRoot();
        }
        return caller.principalType() == PrincipalType.USER && storedName.equalsIgnoreCase(caller.userName());
    }

    /** Devices belong to an account: a service principal has none to manage. */
    public static void requireAccountPrincipal(Caller caller) {
        if (caller.principalType() == PrincipalType.SERVICE || caller.accountId() == null
                || caller.accountId().isEmpty()) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to manage MFA devices");
        }
    }

    /** The caller's own ARN (it carries the user's path) for itself, else the path-less user ARN. */
    private static String userArn(Caller caller, String userName) {
        if (caller.principalType() == PrincipalType.USER && userName.equalsIgnoreCase(caller.userName())) {
            return caller.principalArn();
        }
        return IamNames.userArn(caller.accountId(), userName);
    }
}
