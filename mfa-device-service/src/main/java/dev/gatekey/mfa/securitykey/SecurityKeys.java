package dev.gatekey.mfa.securitykey;

import dev.gatekey.mfa.application.Actor;
import dev.gatekey.mfa.application.MfaDevices;
import dev.gatekey.mfa.application.Target;
import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.application.TotpSignIn;
import dev.gatekey.mfa.domain.FailureBackoff;
import dev.gatekey.mfa.domain.MfaDeviceLockedException;
import dev.gatekey.mfa.domain.ThrottlingException;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.persistence.MfaDeviceEntity;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
import dev.gatekey.mfa.persistence.MfaDeviceRepository.UserFailures;
import dev.gatekey.mfa.securitykey.domain.AttestationConveyance;
import dev.gatekey.mfa.securitykey.domain.CeremonyFailure;
import dev.gatekey.mfa.securitykey.domain.PendingCeremony;
import dev.gatekey.mfa.securitykey.domain.RegisteredCredential;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyCeremonies;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyCeremonies.AssertionResponse;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyRejectedException;
import dev.gatekey.mfa.securitykey.domain.SecurityKeySerialNumbers;
import dev.gatekey.mfa.securitykey.domain.StoredCredential;
import dev.gatekey.mfa.securitykey.domain.UserVerificationPolicy;
import dev.gatekey.mfa.securitykey.domain.VerifiedAssertion;
import dev.gatekey.mfa.securitykey.persistence.SecurityKeyChallengeEntity;
import dev.gatekey.mfa.securitykey.persistence.SecurityKeyCredentialEntity;
import dev.gatekey.mfa.securitykey.persistence.SecurityKeyRepository;
import dev.gatekey.mfa.securitykey.persistence.SecurityKeyRepository.SecurityKeyRecord;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The application service for FIDO2 security keys: authorizes each call, keeps challenges
 * single-use and credential records current, and runs the ceremonies of
 * {@link SecurityKeyCeremonies}; one transaction per method.
 */
@ApplicationScoped
public class SecurityKeys {
    /** Challenges this long past expiry are deleted when a new ceremony starts. */
    static final Duration PURGE_AFTER = Duration.ofDays(1);
    private static final Pattern CHALLENGE_ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String FAILED_ATTEMPT = "FailedAttempt";

    @Inject
    SecurityKeyRepository keys;
    @Inject
    MfaDeviceRepository devices;
    @Inject
    PolicyEnforcer policy;
    @Inject
    SecurityKeyCeremonies ceremonies;
    @Inject
    SecureRandom random;
    @Inject
    Clock clock;
    @Inject
    AuditTrail audit;

    /** A challenge handed out, with the options JSON for the browser. */
    public record StartedCeremony(String challengeId, String optionsJson, Instant expiresAt) {
    }

    /** A registered key as FinishSecurityKeyRegistration returns it. */
    public record SecurityKeyDevice(String userName, String serialNumber, String deviceName, Instant enableDate,
            UUID aaguid, String attestationFormat, Set<String> transports, boolean backupEligible,
            boolean backupState, boolean userVerified) {
    }

    /** An accepted assertion. */
    public record VerifiedSecurityKey(String accountId, String userName, String serialNumber,
            Instant authenticatedAt, boolean userVerified) {
    }

    /**
     * StartSecurityKeyRegistration: {@code iam:EnableMFADevice} on the user (the root user's own
     * key when root names no user), then a challenge.
     */
    @Transactional
    public StartedCeremony startRegistration(Caller caller, String requestedUserName, String deviceName,
            Optional<AttestationConveyance> attestation) {
        Target target = Target.of(caller, requestedUserName);
        String name = SecurityKeySerialNumbers.requireDeviceName(deviceName);
        policy.authorize(caller, "iam:EnableMFADevice", target.arn());
        String accountId = caller.accountId();
        if (devices.nameExists(accountId, name)) {
            throw alreadyExists(name);
        }
        requireBelowDeviceLimit(accountId, target.storedName());

        List<SecurityKeyRecord> existing = keys.keysOf(accountId, target.storedName());
        byte[] userHandle = existing.isEmpty() ? ceremonies.newUserHandle() : existing.get(0).credential().userHandle;
        UserVerificationPolicy userVerification = ceremonies.relyingParty().userVerification();
        AttestationConveyance conveyance = attestation.orElse(ceremonies.relyingParty().defaultAttestation());
        Instant now = clock.instant();
        SecurityKeyChallengeEntity challenge = newChallenge(SecurityKeyChallengeEntity.REGISTRATION, accountId,
                target.storedName(), userVerification, now);
        challenge.deviceName = name;
        challenge.userHandle = userHandle;
        challenge.attestation = conveyance.name();
        // what the browser and the key show: the IAM user's name, "root" for the root user
        String webAuthnUserName = target.isRoot() ? "root" : target.displayName();
        String options = ceremonies.creationOptionsJson(webAuthnUserName, userHandle, challenge.challenge, conveyance,
                userVerification, stored(existing));
        keys.purgeChallengesExpiredBefore(now.minus(PURGE_AFTER));
        keys.saveChallenge(challenge);
        return new StartedCeremony(challenge.challengeId, options, challenge.expiresAt);
    }

    /**
     * FinishSecurityKeyRegistration: consumes the challenge (a failed ceremony uses it up too),
     * verifies the credential and stores the key as an MFA device of the user, under the user's
     * advisory lock so that concurrent registrations and enablements cannot pass 8 devices.
     */
    @Transactional(dontRollbackOn = SecurityKeyRejectedException.class)
    public SecurityKeyDevice finishRegistration(Caller caller, Actor actor, String challengeId,
            String requestedUserName, String registrationResponseJson) {
        Target target = Target.of(caller, requestedUserName);
        requireChallengeId(challengeId);
        requireJson(registrationResponseJson, "registrationResponseJson");
        policy.authorize(caller, "iam:EnableMFADevice", target.arn());
        String accountId = caller.accountId();

        SecurityKeyChallengeEntity challenge = keys.consumeChallenge(challengeId)
                .orElseThrow(() -> new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_UNKNOWN));
        if (!SecurityKeyChallengeEntity.REGISTRATION.equals(challenge.ceremony)
                || !challenge.accountId.equals(accountId) || !challenge.userName.equalsIgnoreCase(target.storedName())) {
            throw new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_NOT_FOR_THIS_CEREMONY);
        }
        // PostgreSQL keeps microseconds: the EnableDate returned is the one ListMFADevices shows
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        RegisteredCredential credential = ceremonies.verifyRegistration(pendingOf(challenge),
                registrationResponseJson, now);

        devices.lockUser(accountId, challenge.userName);
        if (keys.credentialExists(accountId, credential.credentialId())) {
            throw GatekeyException.entityAlreadyExists("This security key is already registered.");
        }
        if (devices.nameExists(accountId, challenge.deviceName)) {
            throw alreadyExists(challenge.deviceName);
        }
        requireBelowDeviceLimit(accountId, challenge.userName);

        MfaDeviceEntity device = new MfaDeviceEntity();
        device.serialNumber = target.isRoot()
                ? SecurityKeySerialNumbers.generateForRoot(accountId, challenge.deviceName, random)
                : SecurityKeySerialNumbers.generate(accountId, challenge.userName, challenge.deviceName, random);
        device.accountId = accountId;
        device.type = MfaDeviceType.SECURITY_KEY;
        device.deviceName = challenge.deviceName;
        device.path = "/";
        device.userName = challenge.userName;
        device.enableDate = now;
        device.createdAt = now;

        SecurityKeyCredentialEntity record = new SecurityKeyCredentialEntity();
        record.accountId = accountId;
        record.credentialId = credential.credentialId();
        record.publicKeyCose = credential.publicKeyCose();
        record.userHandle = challenge.userHandle;
        record.aaguid = credential.aaguid();
        record.signCount = credential.signCount();
        record.transports = String.join(",", credential.transports());
        record.backupEligible = credential.backupEligible();
        record.backupState = credential.backupState();
        record.uvInitialized = credential.userVerified();
        record.attestationFormat = credential.attestationFormat();
        record.attestationObject = credential.attestationObject();
        record.createdAt = now;
        try {
            devices.persistAndFlush(device);
            record.deviceId = device.id;
            keys.persistAndFlush(record);
        } catch (PersistenceException e) {
            // A concurrent registration of the same name or credential lost the race on a unique index.
            if (causedByConstraintViolation(e)) {
                throw GatekeyException.entityAlreadyExists(
                        "A security key with this credential or device name is already registered.");
            }
            throw e;
        }
        // AWS CloudTrail records a security key's registration as EnableMFADevice too
        audit.record(actor.event(now, accountId, "EnableMFADevice", device.serialNumber, device.userName,
                AuditTrail.SUCCESS));
        return new SecurityKeyDevice(Target.displayName(device.userName), device.serialNumber, device.deviceName,
                device.enableDate, record.aaguid, record.attestationFormat, credential.transports(),
                record.backupEligible, record.backupState, record.uvInitialized);
    }

    /**
     * StartSecurityKeyAssertion, for identity-service: a challenge allowing the user's keys that
     * are neither locked nor flagged as cloned. A user in back-off gets no challenge.
     */
    @Transactional
    public StartedCeremony startAssertion(Caller caller, String accountId, String userName) {
        requireIdentityService(caller, "gatekey:StartSecurityKeyAssertion");
        IamNames.requireAccountId(accountId);
        Target target = Target.named(accountId, userName);
        List<SecurityKeyRecord> all = keys.keysOf(accountId, target.storedName());
        if (all.isEmpty()) {
            throw GatekeyException.noSuchEntity(target.isRoot() ? "The root user has no security key."
                    : "The user with name " + userName + " has no security key.");
        }
        List<SecurityKeyRecord> unflagged = all.stream().filter(k -> k.credential().possiblyClonedAt == null).toList();
        if (unflagged.isEmpty()) {
            throw new SecurityKeyRejectedException(CeremonyFailure.DEVICE_FLAGGED_AS_CLONED);
        }
        List<SecurityKeyRecord> usable = unflagged.stream().filter(k -> k.device().lockedAt == null).toList();
        if (usable.isEmpty()) {
            throw new MfaDeviceLockedException();
        }
        Instant now = clock.instant();
        requireUserOutOfBackoff(devices.userFailures(accountId, target.failureKey()), now);
        UserVerificationPolicy userVerification = ceremonies.relyingParty().userVerification();
        SecurityKeyChallengeEntity challenge = newChallenge(SecurityKeyChallengeEntity.AUTHENTICATION, accountId,
                all.get(0).device().userName, userVerification, now);
        String options = ceremonies.requestOptionsJson(challenge.challenge, userVerification, stored(usable));
        keys.purgeChallengesExpiredBefore(now.minus(PURGE_AFTER));
        keys.saveChallenge(challenge);
        return new StartedCeremony(challenge.challengeId, options, challenge.expiresAt);
    }

    /**
     * VerifySecurityKeyAssertion, for identity-service, with the same defence as VerifyTotp: the
     * challenge is consumed whatever the outcome; a locked key or one in back-off, and a user in
     * back-off, are refused before the assertion is looked at; a failed assertion is counted on
     * the key it names and on the user (compare-and-set, as for codes), and locks the key at the
     * hundredth failure; a counter that did not increase flags the key as possibly cloned. Every
     * refusal is an audit record. Failures are committed, the exception still reaches the caller.
     */
    @Transactional(dontRollbackOn = {SecurityKeyRejectedException.class, MfaDeviceLockedException.class,
            ThrottlingException.class})
    public VerifiedSecurityKey verifyAssertion(Caller caller, Actor actor, String challengeId,
            String authenticationResponseJson) {
        requireIdentityService(caller, "gatekey:VerifySecurityKeyAssertion");
        requireChallengeId(challengeId);
        requireJson(authenticationResponseJson, "authenticationResponseJson");
        // a malformed response is a ValidationError that changes nothing, the challenge included
        AssertionResponse response = ceremonies.parseAssertion(authenticationResponseJson);
        Instant received = clock.instant();
        Optional<SecurityKeyChallengeEntity> consumed = keys.consumeChallenge(challengeId);
        if (consumed.isEmpty()) {
            audit.record(actor.event(received, null, FAILED_ATTEMPT, null, null, CeremonyFailure.CHALLENGE_UNKNOWN.name()));
            throw new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_UNKNOWN);
        }
        SecurityKeyChallengeEntity challenge = consumed.get();
        String accountId = challenge.accountId;
        String storedName = challenge.userName;
        if (!SecurityKeyChallengeEntity.AUTHENTICATION.equals(challenge.ceremony)) {
            audit.record(actor.event(received, accountId, FAILED_ATTEMPT, null, storedName,
                    CeremonyFailure.CHALLENGE_NOT_FOR_THIS_CEREMONY.name()));
            throw new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_NOT_FOR_THIS_CEREMONY);
        }
        String userKey = storedName.toLowerCase(Locale.ROOT);
        // the user's advisory lock (as for management) until commit: concurrent assertions of the
        // user's keys are decided one at a time, on each other's signature counters. One lock, not
        // row locks on two joined tables, which PostgreSQL can take in different orders (deadlock).
        // The counters are still compare-and-set: one that loses refuses as Throttling.
        devices.lockUser(accountId, storedName);
        // the time of the decision, read once the lock is held: after the previous one's
        Instant now = clock.instant();
        List<SecurityKeyRecord> usersKeys = keys.keysOf(accountId, storedName);
        Optional<SecurityKeyRecord> key = find(usersKeys, response.credentialId());
        String serial = key.map(k -> k.device().serialNumber).orElse(null);
        UserFailures userFailures = devices.userFailures(accountId, userKey);
        try {
            key.ifPresent(k -> MfaDevices.requireOpen(k.device(), now));
            requireUserOutOfBackoff(userFailures, now);
        } catch (MfaDeviceLockedException | ThrottlingException e) {
            audit.record(actor.event(now, accountId, "VerifySecurityKeyAssertion", serial, storedName, e.code()));
            throw e;
        }

        VerifiedAssertion assertion;
        try {
            assertion = ceremonies.verifyAssertion(pendingOf(challenge), response, stored(usersKeys), now);
        } catch (SecurityKeyRejectedException e) {
            throw recordFailure(actor, e, accountId, storedName, userFailures, key, now);
        }
        SecurityKeyRecord verified = key.orElseThrow();
        if (userFailures.failedAttempts() > 0
                && !devices.resetUserFailures(accountId, userKey, userFailures.failedAttempts())) {
            // a concurrent failure of this user was counted meanwhile: decide again
            audit.record(actor.event(now, accountId, "VerifySecurityKeyAssertion", serial, storedName,
                    ThrottlingException.CODE));
            throw new ThrottlingException(1);
        }
        verified.credential().signCount = assertion.signCount();
        verified.credential().backupState = assertion.backupState();
        verified.credential().lastUsedAt = now;
        verified.device().failedAttempts = 0;
        verified.device().lastFailedAt = null;
        return new VerifiedSecurityKey(accountId, Target.displayName(verified.device().userName),
                verified.device().serialNumber, now, assertion.userVerified());
    }

    /**
     * Counts and records a failed assertion; returns what the caller is told. An expired
     * challenge tried no key and is not counted. Of concurrent failures decided on the same user
     * counter only one is counted, the others are refused as throttled (as for codes).
     */
    private GatekeyException recordFailure(Actor actor, SecurityKeyRejectedException e, String accountId,
            String storedName, UserFailures userFailures, Optional<SecurityKeyRecord> key, Instant now) {
        SecurityKeyRejectedException refusal = e;
        if (e.failure() == CeremonyFailure.UNKNOWN_CREDENTIAL && e.credentialId().isPresent()
                && keys.credentialExists(accountId, e.credentialId().get())) {
            refusal = new SecurityKeyRejectedException(CeremonyFailure.CREDENTIAL_OF_ANOTHER_USER);
        }
        String serial = key.map(k -> k.device().serialNumber).orElse(null);
        if (key.isPresent() && refusal.failure() == CeremonyFailure.COUNTER_NOT_INCREASED) {
            // evidence of a clone whatever happens to the counters
            keys.flagPossiblyCloned(key.get().device().id, now);
            audit.record(actor.event(now, accountId, "PossiblyCloned", serial, storedName, refusal.failure().name()));
        }
        if (refusal.failure() != CeremonyFailure.CHALLENGE_EXPIRED) {
            if (!devices.recordUserFailure(accountId, storedName.toLowerCase(Locale.ROOT),
                    userFailures.failedAttempts(), now)) {
                audit.record(actor.event(now, accountId, "VerifySecurityKeyAssertion", serial, storedName,
                        ThrottlingException.CODE));
                return new ThrottlingException(1);
            }
            if (key.isPresent()) {
                MfaDeviceEntity device = key.get().device();
                boolean locks = FailureBackoff.DEVICE.locks(device.failedAttempts + 1);
                if (!devices.recordFailure(device.id, device.failedAttempts, now, locks)) {
                    return new ThrottlingException(1);
                }
                audit.record(actor.event(now, accountId, FAILED_ATTEMPT, serial, storedName, refusal.failure().name()));
                if (locks) {
                    audit.record(actor.event(now, accountId, "Lock", serial, storedName, MfaDeviceLockedException.CODE));
                }
                return refusal;
            }
        }
        audit.record(actor.event(now, accountId, FAILED_ATTEMPT, serial, storedName, refusal.failure().name()));
        return refusal;
    }

    private static void requireUserOutOfBackoff(UserFailures failures, Instant now) {
        FailureBackoff.USER.nextAttemptAt(failures.failedAttempts(), failures.lastFailedAt(), now)
                .ifPresent(next -> {
                    throw new ThrottlingException(Math.max(1, Duration.between(now, next).toSeconds() + 1));
                });
    }

    private SecurityKeyChallengeEntity newChallenge(String ceremony, String accountId, String userName,
            UserVerificationPolicy userVerification, Instant now) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        SecurityKeyChallengeEntity challenge = new SecurityKeyChallengeEntity();
        challenge.challengeId = BASE64URL.encodeToString(id);
        challenge.ceremony = ceremony;
        challenge.accountId = accountId;
        challenge.userName = userName;
        challenge.challenge = ceremonies.newChallenge();
        challenge.userVerification = userVerification.name();
        challenge.createdAt = now;
        challenge.expiresAt = now.plus(ceremonies.relyingParty().challengeTtl());
        return challenge;
    }

    private static PendingCeremony pendingOf(SecurityKeyChallengeEntity challenge) {
        return new PendingCeremony(challenge.challenge, UserVerificationPolicy.valueOf(challenge.userVerification),
                challenge.expiresAt);
    }

    private static List<StoredCredential> stored(List<SecurityKeyRecord> records) {
        return records.stream().map(r -> {
            SecurityKeyCredentialEntity c = r.credential();
            Set<String> transports = c.transports.isEmpty() ? Set.of()
                    : Arrays.stream(c.transports.split(",")).collect(Collectors.toUnmodifiableSet());
            return new StoredCredential(c.credentialId, c.publicKeyCose, c.aaguid, c.signCount, transports,
                    c.backupEligible, c.backupState, c.uvInitialized, c.attestationFormat, c.possiblyClonedAt != null);
        }).toList();
    }

    private static Optional<SecurityKeyRecord> find(List<SecurityKeyRecord> records, byte[] credentialId) {
        return records.stream().filter(r -> MessageDigest.isEqual(r.credential().credentialId, credentialId))
                .findFirst();
    }

    private void requireBelowDeviceLimit(String accountId, String userName) {
        if (devices.countAssigned(accountId, userName) >= MfaDevices.MAX_DEVICES_PER_USER) {
            throw GatekeyException.limitExceeded(
                    "Cannot exceed quota for MFA devices per user: " + MfaDevices.MAX_DEVICES_PER_USER + ".");
        }
    }

    /** The assertion RPCs answer identity-service only, as VerifyTotp does. */
    private static void requireIdentityService(Caller caller, String action) {
        if (caller.principalType() != PrincipalType.SERVICE
                || !TotpSignIn.IDENTITY_SERVICE.equals(caller.principalArn())) {
            throw new AccessDeniedException("User: " + caller.principalArn() + " is not authorized to perform: "
                    + action);
        }
    }

    private static void requireChallengeId(String challengeId) {
        if (challengeId == null || !CHALLENGE_ID.matcher(challengeId).matches()) {
            throw IamNames.validationError("challengeId", challengeId,
                    "Member must have length 43 and satisfy regular expression pattern: [A-Za-z0-9_-]+");
        }
    }

    private static void requireJson(String json, String parameter) {
        if (json == null || json.isBlank()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at '" + parameter
                    + "' failed to satisfy constraint: Member must be the PublicKeyCredential as WebAuthn JSON");
        }
    }

    private static GatekeyException alreadyExists(String name) {
        return GatekeyException.entityAlreadyExists("MFADevice entity at the same path and name already exists: "
                + name + ".");
    }

    private static boolean causedByConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
