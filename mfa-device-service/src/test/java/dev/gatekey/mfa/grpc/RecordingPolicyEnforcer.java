package dev.gatekey.mfa.grpc;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for policy-service (not running in these tests): records every question and answers
 * with the decision the test chose. Real decisions are covered by the system test.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecordingPolicyEnforcer implements PolicyEnforcer {
    /** One authorization question. */
    public record Asked(String principalArn, String action, String resource) {
    }

    private final List<Asked> asked = new ArrayList<>();
    private volatile boolean allow = true;

    @Override
    public void authorize(Caller caller, String action, String resource) {
        synchronized (asked) {
            asked.add(new Asked(caller.principalArn(), action, resource));
        }
        if (!allow) {
            throw AccessDeniedException.implicitDeny(caller.principalArn(), action, resource);
        }
    }

    public void allow(boolean allow) {
        this.allow = allow;
    }

    public List<Asked> asked() {
        synchronized (asked) {
            return List.copyOf(asked);
        }
    }

    public void reset() {
        synchronized (asked) {
            asked.clear();
        }
        allow = true;
    }
}
