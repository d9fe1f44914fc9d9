package dev.gatekey.identity.application;

import dev.gatekey.platform.auth.Caller;
import java.util.Map;

/**
 * The parts of the account summary and credential report that other services own: MFA devices
 * (mfa-device-service) and policies (policy-service).
 */
public interface AccountSummarySources {

    /**
     * mfa-device-service GetAccountMfaSummary for {@code accountId}, asked by identity-service
     * itself: the caller's action (GetAccountSummary, GenerateCredentialReport) is authorized
     * here before.
     */
    AccountMfaSummary mfaSummary(String accountId);

    /**
     * policy-service GetAccountPolicySummary on the caller's behalf (it authorizes
     * {@code iam:GetAccountSummary} on {@code *} itself): the SummaryMap entries that belong to
     * policies, by AWS's entry names ({@code Policies}, {@code PolicyVersionsInUse}, quotas).
     */
    Map<String, Integer> policySummary(Caller caller);
}
