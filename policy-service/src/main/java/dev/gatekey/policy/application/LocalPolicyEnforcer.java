package dev.gatekey.policy.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.Decision;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * policy-service enforces its own management actions by evaluating in-process; this bean
 * replaces the platform's default {@code RemotePolicyEnforcer}, which would call this service.
 */
@ApplicationScoped
public class LocalPolicyEnforcer implements PolicyEnforcer {
    @Inject
    AuthorizationService authorization;

    @Override
    public void authorize(Caller caller, String action, String resource) {
        AuthorizationResult result = authorization.authorize(caller, action, resource, Map.of());
        if (result.decision() == Decision.ALLOWED) {
            return;
        }
        throw result.decision() == Decision.EXPLICIT_DENY
                ? AccessDeniedException.explicitDeny(caller.principalArn(), action, resource)
                : AccessDeniedException.implicitDeny(caller.principalArn(), action, resource);
    }
}
