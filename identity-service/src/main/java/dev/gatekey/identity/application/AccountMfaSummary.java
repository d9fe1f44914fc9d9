package dev.gatekey.identity.application;

import java.util.List;

/**
 * mfa-device-service's count of an account's MFA devices (AWS GetAccountSummary's
 * {@code MFADevices}, {@code MFADevicesInUse}, {@code AccountMFAEnabled}) and the IAM users with
 * an enabled device (the credential report's {@code mfa_active}).
 */
public record AccountMfaSummary(int mfaDevices, int mfaDevicesInUse, boolean accountMfaEnabled,
        List<String> userNamesWithMfa) {

    public AccountMfaSummary {
        userNamesWithMfa = List.copyOf(userNamesWithMfa);
    }

    /** Whether the user has an enabled device (user names compare ignoring case, as in IAM). */
    public boolean mfaActive(String userName) {
        return userNamesWithMfa.stream().anyMatch(userName::equalsIgnoreCase);
    }
}
