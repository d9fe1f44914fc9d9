package dev.gatekey.identity.application;

import dev.gatekey.platform.auth.Caller;

/** What identity-service needs from mfa-device-service about users, asked on the caller's behalf. */
public interface MfaDirectory {

    /** The number of MFA devices assigned to the user (DeleteUser's DeleteConflict). */
    int deviceCount(Caller caller, String userName);

    /** mfa-device-service RenameUser: the user's devices follow it to its new name. */
    void renameUser(Caller caller, String accountId, String oldUserName, String newUserName);
}
