package dev.gatekey.platform.authz;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.grpc.StatusRuntimeException;
import io.quarkus.arc.DefaultBean;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Asks policy-service over gRPC, forwarding the caller's own token so that policy-service
 * derives the principal and MFA context from it. policy-service replaces this bean with a
 * local evaluation.
 */
@ApplicationScoped
@DefaultBean
public class RemotePolicyEnforcer implements PolicyEnforcer {
    private static final Logger LOG = Logger.getLogger(RemotePolicyEnforcer.class);

    @GrpcClient("policy")
    PolicyServiceGrpc.PolicyServiceBlockingStub policy;

    /** How long a decision may take before the request is refused (env GATEKEY_POLICY_AUTHORIZE_DEADLINE). */
    @ConfigProperty(name = "gatekey.policy.authorize-deadline", defaultValue = "3s")
    Duration deadline;

    @Override
    public void authorize(Caller caller, String action, String resource) {
        AuthorizeResponse response;
        try {
            response = BearerToken.attach(policy, caller.token())
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .authorize(AuthorizeRequest.newBuilder().setAction(action).setResource(resource).build());
        } catch (StatusRuntimeException e) {
            LOG.warnf("Authorization of %s on %s could not be decided (%s); denying", action, resource,
                    e.getStatus().getCode());
            throw new GatekeyException("ServiceUnavailable", ErrorKind.UNAVAILABLE,
                    "The request was denied because authorization could not be decided; try again later.");
        }
        if (response.getDecision() == Decision.DECISION_ALLOWED) {
            return;
        }
        throw response.getDecision() == Decision.DECISION_EXPLICIT_DENY
                ? AccessDeniedException.explicitDeny(caller.principalArn(), action, resource)
                : AccessDeniedException.implicitDeny(caller.principalArn(), action, resource);
    }
}
