package dev.gatekey.identity.grpc;

import dev.gatekey.identity.application.AccountMfaSummary;
import dev.gatekey.identity.application.AccountSummarySources;
import dev.gatekey.identity.application.SessionTokens;
import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.mfa.v1.GetAccountMfaSummaryRequest;
import dev.gatekey.mfa.v1.GetAccountMfaSummaryResponse;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.policy.v1.GetAccountPolicySummaryRequest;
import dev.gatekey.policy.v1.GetAccountPolicySummaryResponse;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link AccountSummarySources} over gRPC: mfa-device-service's GetAccountMfaSummary as
 * identity-service (a service token, with the account id), policy-service's
 * GetAccountPolicySummary with the caller's token.
 */
@ApplicationScoped
public class AccountSummaryClients implements AccountSummarySources {

    @GrpcClient("mfa")
    MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub mfa;

    @GrpcClient("policy")
    PolicyServiceGrpc.PolicyServiceBlockingStub policy;

    @Inject
    SessionTokens tokens;

    @Inject
    PeerDeadlines deadlines;

    @Override
    public AccountMfaSummary mfaSummary(String accountId) {
        GetAccountMfaSummaryResponse r = PeerCalls.call("mfa-device-service", () -> PeerCalls
                .within(BearerToken.attach(mfa, tokens.serviceToken()), deadlines.mfa())
                .getAccountMfaSummary(GetAccountMfaSummaryRequest.newBuilder().setAccountId(accountId).build()));
        return new AccountMfaSummary(r.getMfaDevices(), r.getMfaDevicesInUse(), r.getAccountMfaEnabled(),
                r.getUserNamesWithMfaList());
    }

    @Override
    public Map<String, Integer> policySummary(Caller caller) {
        GetAccountPolicySummaryResponse r = PeerCalls.call("policy-service", () -> PeerCalls
                .within(BearerToken.attach(policy, caller.token()), deadlines.policy())
                .getAccountPolicySummary(GetAccountPolicySummaryRequest.getDefaultInstance()));
        Map<String, Integer> entries = new LinkedHashMap<>();
        entries.put("Policies", r.getPolicies());
        entries.put("PolicyVersionsInUse", r.getPolicyVersionsInUse());
        entries.put("AttachedPoliciesPerUserQuota", r.getAttachedPoliciesPerUserQuota());
        entries.put("AttachedPoliciesPerGroupQuota", r.getAttachedPoliciesPerGroupQuota());
        entries.put("AttachedPoliciesPerRoleQuota", r.getAttachedPoliciesPerRoleQuota());
        entries.put("PoliciesQuota", r.getPoliciesQuota());
        entries.put("PolicySizeQuota", r.getPolicySizeQuota());
        entries.put("PolicyVersionsInUseQuota", r.getPolicyVersionsInUseQuota());
        entries.put("VersionsPerPolicyQuota", r.getVersionsPerPolicyQuota());
        entries.put("UserPolicySizeQuota", r.getUserPolicySizeQuota());
        entries.put("GroupPolicySizeQuota", r.getGroupPolicySizeQuota());
        entries.put("RolePolicySizeQuota", r.getRolePolicySizeQuota());
        return entries;
    }
}
