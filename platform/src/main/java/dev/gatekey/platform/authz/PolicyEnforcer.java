package dev.gatekey.platform.authz;

import dev.gatekey.platform.auth.Caller;

/**
 * The policy enforcement point: every service asks before it performs an action for a caller.
 * Implementations fail closed: when no decision can be had, the action is refused.
 */
public interface PolicyEnforcer {

    /**
     * Returns when {@code caller} may perform {@code action} (AWS's {@code service:Action}) on
     * the resource ARN; throws {@link AccessDeniedException} or an UNAVAILABLE error otherwise.
     */
    void authorize(Caller caller, String action, String resource);
}
