package dev.gatekey.policy.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.Authorizer;
import dev.gatekey.policy.domain.PolicySet;
import dev.gatekey.policy.domain.RequestContext;
import dev.gatekey.policy.domain.RequestContextFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Decides a caller's request: builds the request context from the verified token, takes the
 * caller's compiled policies from the {@link PrincipalPolicyCache} (one generation read when
 * warm) and runs the {@link Authorizer}.
 */
@ApplicationScoped
public class AuthorizationService {
    @Inject
    PrincipalPolicyCache cache;

    public AuthorizationResult authorize(Caller caller, String action, String resource,
            Map<String, List<String>> contextEntries) {
        RequestContext context = RequestContextFactory.fromCaller(caller, action, resource, contextEntries,
                Instant.now());
        // The root user is not limited by identity policies; other principals have none yet.
        if (caller.principalType() != PrincipalType.USER || caller.userName() == null || caller.accountId() == null) {
            return Authorizer.authorize(context, PolicySet.EMPTY, null);
        }
        PrincipalPolicyCache.Compiled compiled = cache.forUser(caller.accountId(), caller.userName());
        return Authorizer.authorize(context, compiled.identity(), compiled.boundary());
    }
}
