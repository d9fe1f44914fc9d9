package dev.gatekey.identity.query;

import dev.gatekey.identity.application.AccountMfaSummary;
import dev.gatekey.identity.application.AccountSummarySources;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for mfa-device-service's GetAccountMfaSummary and policy-service's
 * GetAccountPolicySummary (neither runs in these tests): answers what the test sets, records
 * who asked, and can fail like an unreachable peer. The real services answer in the system
 * test (AwsCliSystemTest).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class AccountRecordingSources implements AccountSummarySources {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile AccountMfaSummary mfa;
    private volatile Map<String, Integer> policies;
    private volatile boolean unavailable;

    // (set through methods: tests hold the client proxy, whose fields are not the bean's)
    void answer(AccountMfaSummary mfa, Map<String, Integer> policies) {
        this.mfa = mfa;
        this.policies = Map.copyOf(policies);
    }

    void answer(AccountMfaSummary mfa) {
        this.mfa = mfa;
    }

    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    List<String> calls() {
        return List.copyOf(calls);
    }

    void forgetCalls() {
        calls.clear();
    }

    void reset() {
        calls.clear();
        mfa = new AccountMfaSummary(0, 0, false, List.of());
        policies = Map.of("Policies", 0, "PolicyVersionsInUse", 0, "PoliciesQuota", 1500);
        unavailable = false;
    }

    @Override
    public AccountMfaSummary mfaSummary(String accountId) {
        calls.add("GetAccountMfaSummary " + accountId);
        requireAvailable();
        return mfa;
    }

    @Override
    public Map<String, Integer> policySummary(Caller caller) {
        calls.add("GetAccountPolicySummary " + caller.principalArn());
        requireAvailable();
        return new LinkedHashMap<>(policies);
    }

    private void requireAvailable() {
        if (unavailable) {
            throw new GatekeyException("ServiceUnavailable", ErrorKind.UNAVAILABLE, "peer down");
        }
    }
}
