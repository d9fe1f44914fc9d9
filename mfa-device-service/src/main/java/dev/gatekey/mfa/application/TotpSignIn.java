package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.domain.FailureBackoff;
import dev.gatekey.mfa.domain.InvalidAuthenticationCodeException;
import dev.gatekey.mfa.domain.MfaDeviceLockedException;
import dev.gatekey.mfa.domain.SeedProtectionException;
import dev.gatekey.mfa.domain.SerialNumbers;
import dev.gatekey.mfa.domain.ThrottlingException;
import dev.gatekey.mfa.domain.TotpVerification;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
import dev.gatekey.mfa.persistence.MfaDeviceRepository.UserFailures;
import dev.gatekey.mfa.persistence.SignInDevices;
import dev.gatekey.mfa.persistence.SignInDevices.SignInDevice;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
    SignInDevices signInDevices;
    @Inject
    RememberedDevices remembered;
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
     * Accepts a code once. The common case (a right code, no earlier failures of the user) is one
     * autocommit UPDATE for a device verified before ({@link RememberedDevices}), else two
     * ({@link SignInDevices}); failures are counted and audited in a
     * transaction that commits before the error reaches the caller; throttled and locked
     * refusals change nothing.
     */
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
        String userKey = target.failureKey();
        boolean wellFormed = code != null && ANY_CODE.matcher(code).matches();
        if (wellFormed) {
            Optional<Verified> verified = remembered.get(accountId, userKey, serialNumber)
                    .flatMap(device -> acceptRemembered(device, accountId, target.storedName(), userKey, code, now));
            if (verified.isPresent()) {
                return verified.get();
            }
        }
        // decided on a fresh read: a device not seen yet, a code the remembered copy did not
        // accept, or a database that disagreed with it
        Optional<SignInDevice> found = signInDevices.find(accountId, target.storedName(), userKey, serialNumber);
        if (found.isEmpty()) {
            remembered.forget(accountId, userKey, serialNumber);
            QuarkusTransaction.requiringNew().run(() -> audit.record(actor.event(now, accountId, "FailedAttempt",
                    serialNumber, target.storedName(), "NoSuchDevice")));
            throw new InvalidAuthenticationCodeException();
        }
        SignInDevice device = found.get();
        UserFailures userFailures = device.userFailures();
        MfaDevices.requireOpen(device.lockedAt(), device.failedAttempts(), device.lastFailedAt(), now);
        FailureBackoff.USER.nextAttemptAt(userFailures.failedAttempts(), userFailures.lastFailedAt(), now)
                .ifPresent(next -> {
                    throw new ThrottlingException(Math.max(1, Duration.between(now, next).toSeconds() + 1));
                });

        if (wellFormed) {
            var accepted = TotpVerification.signIn(
                    management.totpOf(device.seed(), device.serialNumber(), device.parameters()), code, now,
                    device.driftSteps(), device.lastUsedStep() == null ? Long.MIN_VALUE : device.lastUsedStep());
            if (accepted.isPresent() && accept(device, accepted.get(), accountId, userKey)) {
                remembered.accepted(accountId, userKey, device, accepted.get().step(), accepted.get().driftSteps());
                return new Verified(device.serialNumber(), now);
            }
        }
        // A wrong, replayed or malformed code: counted, or refused if a concurrent attempt was.
        remembered.forget(accountId, userKey, serialNumber);
        boolean locks = FailureBackoff.DEVICE.locks(device.failedAttempts() + 1);
        QuarkusTransaction.requiringNew().run(() -> {
            if (!devices.recordFailure(device.id(), device.failedAttempts(), now, locks)
                    || !devices.recordUserFailure(accountId, userKey, userFailures.failedAttempts(), now)) {
                throw new ThrottlingException(1); // rolls back: nothing counted twice
            }
            audit.record(actor.event(now, accountId, "FailedAttempt", serialNumber, device.userName(),
                    "InvalidAuthenticationCode"));
            if (locks) {
                audit.record(actor.event(now, accountId, "Lock", serialNumber, device.userName(),
                        MfaDeviceLockedException.CODE));
            }
        });
        throw new InvalidAuthenticationCodeException();
    }

    /**
     * The one-statement path: the remembered copy proposes the step, the database accepts it
     * only if it still agrees (see {@link SignInDevices#acceptRemembered}). Empty: decide again
     * on a fresh read, where a wrong code is counted.
     */
    private Optional<Verified> acceptRemembered(SignInDevice device, String accountId, String storedName,
            String userKey, String code, Instant now) {
        Optional<TotpVerification.Acceptance> accepted;
        try {
            accepted = TotpVerification.signIn(
                    management.totpOf(device.seed(), device.serialNumber(), device.parameters()), code, now,
                    device.driftSteps(), device.lastUsedStep() == null ? Long.MIN_VALUE : device.lastUsedStep());
        } catch (SeedProtectionException e) {
            remembered.forget(accountId, userKey, device.serialNumber()); // e.g. re-encrypted, old key dropped
            return Optional.empty();
        }
        if (accepted.isEmpty() || !signInDevices.acceptRemembered(device.id(), accountId, storedName,
                device.serialNumber(), userKey, device.driftSteps(), accepted.get().step(),
                accepted.get().driftSteps())) {
            return Optional.empty();
        }
        remembered.accepted(accountId, userKey, device, accepted.get().step(), accepted.get().driftSteps());
        return Optional.of(new Verified(device.serialNumber(), now));
    }

    /**
     * Advances the last used step if no concurrent attempt did and the device's counter is
     * still the one read; after failures of the user, resets the user's counter in the same
     * transaction (compare-and-set: a concurrent failure means deciding again).
     */
    private boolean accept(SignInDevice device, TotpVerification.Acceptance accepted, String accountId,
            String userKey) {
        int userFailed = device.userFailures().failedAttempts();
        if (userFailed == 0) {
            return signInDevices.acceptStep(device.id(), accepted.step(), accepted.driftSteps(),
                    device.failedAttempts());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!devices.acceptStep(device.id(), accepted.step(), accepted.driftSteps(), device.failedAttempts())) {
                return false;
            }
            if (!devices.resetUserFailures(accountId, userKey, userFailed)) {
                throw new ThrottlingException(1); // a concurrent failure of this user: decide again
            }
            return true;
        });
    }
}
