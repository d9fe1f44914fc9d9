package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.domain.FailureBackoff;
import dev.gatekey.mfa.domain.InvalidAuthenticationCodeException;
import dev.gatekey.mfa.domain.MfaDeviceLockedException;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.domain.SerialNumbers;
import dev.gatekey.mfa.domain.ThrottlingException;
import dev.gatekey.mfa.domain.TotpVerification;
import dev.gatekey.mfa.persistence.MfaDeviceEntity;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
import dev.gatekey.mfa.persistence.MfaDeviceRepository.UserFailures;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * VerifyTotp for identity-service's sign-in and GetSessionToken.
 *
 * <p>Defence, all decided in PostgreSQL with compare-and-set UPDATEs, never in memory: a code
 * is accepted at most once per device (the last used step only moves forward); every failed
 * code is counted per device and per user; after a few free failures each further one doubles
 * the wait before the next code is considered ({@link FailureBackoff}); at 100 consecutive
 * failures the device locks until an admin unlocks it. Concurrent attempts decided on the same
 * counter value cannot all be counted or accepted: one wins the compare-and-set, the others are
 * refused as {@code Throttling} without revealing whether their code was right, so parallel
 * guessing gains nothing over sequential guessing.
 */
@ApplicationScoped
public class TotpSignIn {
    /** The only principal VerifyTotp answers (identity-service, signing for itself). */
    public static final String IDENTITY_SERVICE = "gatekey:service/identity-service";
    private static final Pattern ANY_CODE = Pattern.compile("\\d{6,8}");

    @Inject
    MfaDeviceRepository devices;
    @Inject
    MfaDevices management;
    @Inject
    Clock clock;
    @Inject
    AuditTrail audit;

    /** A code accepted by VerifyTotp. */
    public record Verified(String serialNumber, Instant authenticatedAt) {
    }

    /**
     * Accepts a code once. Failures are committed (the counters and the audit record survive
     * the error); throttled and locked refusals change nothing.
     */
    @Transactional(dontRollbackOn = InvalidAuthenticationCodeException.class)
    public Verified verifyTotp(Caller caller, Actor actor, String accountId, String userName, String serialNumber,
            String code) {
        if (caller.principalType() != PrincipalType.SERVICE || !IDENTITY_SERVICE.equals(caller.principalArn())) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to perform: gatekey:VerifyTotp");
        }
        IamNames.requireAccountId(accountId);
        Target target = Target.named(accountId, userName);
        SerialNumbers.require(serialNumber);
        Instant now = clock.instant();
        Optional<MfaDeviceEntity> found = devices.findAssigned(accountId, target.storedName(), serialNumber)
                .filter(d -> d.type != MfaDeviceType.SECURITY_KEY);
        if (found.isEmpty()) {
            audit.record(actor.event(now, accountId, "FailedAttempt", serialNumber, target.storedName(),
                    "NoSuchDevice"));
            throw new InvalidAuthenticationCodeException();
        }
        MfaDeviceEntity device = found.get();
        String userKey = target.failureKey();
        UserFailures userFailures = devices.userFailures(accountId, userKey);
        MfaDevices.requireOpen(device, now);
        FailureBackoff.USER.nextAttemptAt(userFailures.failedAttempts(), userFailures.lastFailedAt(), now)
                .ifPresent(next -> {
                    throw new ThrottlingException(Math.max(1, Duration.between(now, next).toSeconds() + 1));
                });

        if (code != null && ANY_CODE.matcher(code).matches()) {
            var accepted = TotpVerification.signIn(management.totpOf(device), code, now, device.driftSteps,
                    device.lastUsedStep == null ? Long.MIN_VALUE : device.lastUsedStep);
            if (accepted.isPresent() && devices.acceptStep(device.id, accepted.get().step(),
                    accepted.get().driftSteps(), device.failedAttempts)) {
                if (userFailures.failedAttempts() > 0
                        && !devices.resetUserFailures(accountId, userKey, userFailures.failedAttempts())) {
                    throw new ThrottlingException(1); // a concurrent failure of this user: decide again
                }
                return new Verified(device.serialNumber, now);
            }
        }
        // A wrong, replayed or malformed code: counted, or refused if a concurrent attempt was.
        boolean locks = FailureBackoff.DEVICE.locks(device.failedAttempts + 1);
        if (!devices.recordFailure(device.id, device.failedAttempts, now, locks)
                || !devices.recordUserFailure(accountId, userKey, userFailures.failedAttempts(), now)) {
            throw new ThrottlingException(1);
        }
        audit.record(actor.event(now, accountId, "FailedAttempt", serialNumber, device.userName,
                "InvalidAuthenticationCode"));
        if (locks) {
            audit.record(actor.event(now, accountId, "Lock", serialNumber, device.userName,
                    MfaDeviceLockedException.CODE));
        }
        throw new InvalidAuthenticationCodeException();
    }
}
