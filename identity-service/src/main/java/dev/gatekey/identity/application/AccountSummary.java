package dev.gatekey.identity.application;

import dev.gatekey.identity.persistence.AccessKeyRepository;
import dev.gatekey.identity.persistence.GroupRepository;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.platform.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import java.util.TreeMap;

/**
 * AWS GetAccountSummary: the account's IAM entity counts and quotas (IAM API reference,
 * GetAccountSummary, SummaryMap). Users, groups and root access keys are counted here, MFA
 * devices by mfa-device-service and policies by policy-service. Entities Gatekey does not have
 * (roles, instance profiles, providers, server and signing certificates) count 0 with AWS's
 * default quotas, so that scripts reading the map find every key they know.
 */
@ApplicationScoped
public class AccountSummary {
    /** AWS's default quotas of the entities identity-service keeps (IAM User Guide, "IAM and AWS STS quotas"). */
    static final Map<String, Integer> QUOTAS = Map.ofEntries(
            Map.entry("UsersQuota", 5000),
            Map.entry("GroupsQuota", 300),
            Map.entry("GroupsPerUserQuota", 10),
            Map.entry("AccessKeysPerUserQuota", AccessKeys.MAX_PER_USER),
            Map.entry("SigningCertificatesPerUserQuota", 2),
            Map.entry("ServerCertificatesQuota", 20),
            Map.entry("RolesQuota", 1000),
            Map.entry("InstanceProfilesQuota", 1000),
            Map.entry("AssumeRolePolicySizeQuota", 2048));

    @Inject
    Principals principals;

    @Inject
    UserRepository users;

    @Inject
    GroupRepository groups;

    @Inject
    AccessKeyRepository accessKeys;

    @Inject
    AccountSummarySources sources;

    /** The SummaryMap, by entry name; authorized as {@code iam:GetAccountSummary} on {@code *}. */
    @Transactional
    public Map<String, Integer> summaryMap(Caller caller) {
        String accountId = Principals.accountOf(caller);
        principals.authorize(caller, "iam:GetAccountSummary", "*");
        Map<String, Integer> map = new TreeMap<>(QUOTAS);
        map.put("Users", (int) users.count("accountId", accountId));
        map.put("Groups", (int) groups.count("accountId", accountId));
        map.put("AccountAccessKeysPresent", accessKeys.findByOwner(accountId, null).isEmpty() ? 0 : 1);
        map.put("AccountSigningCertificatesPresent", 0);
        map.put("ServerCertificates", 0);
        map.put("Roles", 0);
        map.put("InstanceProfiles", 0);
        map.put("Providers", 0);
        map.put("GlobalEndpointTokenVersion", 1);
        AccountMfaSummary mfa = sources.mfaSummary(accountId);
        map.put("MFADevices", mfa.mfaDevices());
        map.put("MFADevicesInUse", mfa.mfaDevicesInUse());
        map.put("AccountMFAEnabled", mfa.accountMfaEnabled() ? 1 : 0);
        map.putAll(sources.policySummary(caller));
        return map;
    }
}
