package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.platform.auth.Caller;
import java.time.Instant;

/**
 * Who acts and from where, for audit records.
 *
 * @param principalArn the caller's principal ARN ({@code anonymous} without a token)
 * @param sourceAddress the caller's network address, when known
 */
public record Actor(String principalArn, String sourceAddress) {

    public static Actor of(Caller caller, String sourceAddress) {
        return new Actor(caller == null ? "anonymous" : caller.principalArn(), sourceAddress);
    }

    /** An audit record of this actor. */
    public AuditTrail.Event event(Instant at, String accountId, String eventName, String serialNumber,
            String userName, String outcome) {
        return new AuditTrail.Event(at, accountId, eventName, principalArn, sourceAddress, serialNumber,
                userName == null ? null : Target.displayName(userName), outcome);
    }
}
