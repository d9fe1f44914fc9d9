package dev.gatekey.mfa.grpc;

import dev.gatekey.mfa.application.Actor;
import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyRejectedException;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.UnaryCall;
import io.grpc.stub.StreamObserver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs the unary calls of both gRPC services (devices and security keys) so that every refused
 * call is in the audit trail, in its own transaction since the call's own rolls back.
 */
@ApplicationScoped
public class AuditedCalls {
    private static final Logger LOG = Logger.getLogger(AuditedCalls.class);
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    @Inject
    AuditTrail audit;

    /** Runs {@code work}; a refusal is recorded unless {@code auditedByService} says it already is. */
    public <T> void complete(StreamObserver<T> observer, String eventName, String serialNumber, String userName,
            Predicate<GatekeyException> auditedByService, Supplier<T> work) {
        complete(observer, null, eventName, serialNumber, userName, auditedByService, work);
    }

    /**
     * As above, for a call a service makes about an account it names ({@code accountId}: the
     * caller's own when null).
     */
    public <T> void complete(StreamObserver<T> observer, String accountId, String eventName, String serialNumber,
            String userName, Predicate<GatekeyException> auditedByService, Supplier<T> work) {
        UnaryCall.complete(observer, () -> {
            try {
                return work.get();
            } catch (GatekeyException e) {
                if (!auditedByService.test(e)) {
                    recordRefusal(accountId, eventName, serialNumber, userName, outcome(e));
                }
                throw e;
            }
        });
    }

    /** Runs {@code work}, recording every refusal. */
    public <T> void complete(StreamObserver<T> observer, String eventName, String serialNumber, String userName,
            Supplier<T> work) {
        complete(observer, eventName, serialNumber, userName, e -> false, work);
    }

    /** Who calls, from where: the caller and the current call's source address. */
    public static Actor actor(Caller caller) {
        return Actor.of(caller, RequestOrigin.current().orElse(null));
    }

    /** A refusal's outcome: the AWS error code, or for a failed WebAuthn ceremony the failed check. */
    public static String outcome(GatekeyException e) {
        return e instanceof SecurityKeyRejectedException rejected ? rejected.failure().name() : e.code();
    }

    private void recordRefusal(String accountId, String eventName, String serialNumber, String userName,
            String outcome) {
        Caller caller = CallerContext.current().orElse(null);
        if (userName != null && userName.isEmpty() && caller != null && caller.principalType() == PrincipalType.USER) {
            userName = caller.userName(); // the request's UserName defaulted to the caller itself
        }
        try {
            String account = accountId != null && ACCOUNT_ID.matcher(accountId).matches() ? accountId
                    : caller == null || caller.accountId() == null || caller.accountId().isEmpty() ? null
                    : caller.accountId();
            audit.recordRefusal(Actor.of(caller, RequestOrigin.current().orElse(null)).event(Instant.now(), account,
                    eventName, emptyToNull(serialNumber), emptyToNull(userName), outcome));
        } catch (RuntimeException failure) {
            LOG.warnf("Could not write the audit record of a refused %s (%s): %s", eventName, outcome,
                    failure.getClass().getSimpleName());
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
