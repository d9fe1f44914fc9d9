package dev.gatekey.policy.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.policy.domain.ApplicablePolicy;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.Authorizer;
import dev.gatekey.policy.domain.RequestContext;
import dev.gatekey.policy.domain.RequestContextFactory;
import dev.gatekey.policy.persistence.AttachedPolicyRecord;
import dev.gatekey.policy.persistence.PolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides a caller's request: builds the request context from the verified token, loads the
 * default versions of the managed policies attached to the caller's user (one query; documents
 * come parsed from the cache) and runs the {@link Authorizer}.
 */
@ApplicationScoped
public class AuthorizationService {
    @Inject
    PolicyRepository repository;

    @Inject
    ParsedPolicyCache cache;

    @Transactional
    public AuthorizationResult authorize(Caller caller, String action, String resource,
            Map<String, List<String>> contextEntries) {
        RequestContext context = RequestContextFactory.fromCaller(caller, action, resource, contextEntries,
                Instant.now());
        return Authorizer.authorize(context, applicablePolicies(caller));
    }

    private List<ApplicablePolicy> applicablePolicies(Caller caller) {
        // The root user is not limited by identity policies; other principals have none yet.
        if (caller.principalType() != PrincipalType.USER || caller.userName() == null || caller.accountId() == null) {
            return List.of();
        }
        List<ApplicablePolicy> policies = new ArrayList<>();
        for (AttachedPolicyRecord attached : repository.attachedUserPolicies(caller.accountId(), caller.userName())) {
            policies.add(new ApplicablePolicy(attached.arn(),
                    cache.get(attached.policyId(), attached.defaultVersionId())));
        }
        return policies;
    }
}
