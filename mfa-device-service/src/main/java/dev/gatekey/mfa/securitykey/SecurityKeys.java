package dev.gatekey.mfa.securitykey;

import dev.gatekey.mfa.application.MfaDevices;
import dev.gatekey.mfa.application.TotpSignIn;
import dev.gatekey.mfa.domain.FailureBackoff;
import dev.gatekey.mfa.domain.MfaDeviceLockedException;
import dev.gatekey.mfa.domain.ThrottlingException;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.persistence.MfaDeviceEntity;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
import dev.gatekey.mfa.securitykey.domain.AttestationConveyance;
import dev.gatekey.mfa.securitykey.domain.CeremonyFailure;
import dev.gatekey.mfa.securitykey.domain.PendingCeremony;
import dev.gatekey.mfa.securitykey.domain.RegisteredCredential;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyCeremonies;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
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

    /** StartSecurityKeyRegistration: {@code iam:EnableMFADevice} on the user, then a challenge. */
    @Transactional
    public StartedCeremony startRegistration(Caller caller, String requestedUserName, String deviceName,
            Optional<AttestationConveyance> attestation) {
        requireAccountPrincipal(caller);
        String userName = targetUser(caller, requestedUserName);
        String name = SecurityKeySerialNumbers.requireDeviceName(deviceName);
        policy.authorize(caller, "iam:EnableMFADevice", userArn(caller, userName));
        String accountId = caller.accountId();
        if (devices.nameExists(accountId, name)) {
            throw alreadyExists(name);
        }
        requireBelowDeviceLimit(accountId, userName);

        List<SecurityKeyRecord> existing = keys.keysOf(accountId, userName);
        byte[] userHandle = existing.isEmpty() ? ceremonies.newUserHandle() : existing.get(0).credential().userHandle;
        UserVerificationPolicy userVerification = ceremonies.relyingParty().userVerification();
        AttestationConveyance conveyance = attestation.orElse(ceremonies.relyingParty().defaultAttestation());
        Instant now = clock.instant();
        SecurityKeyChallengeEntity challenge = newChallenge(SecurityKeyChallengeEntity.REGISTRATION, accountId,
                userName, userVerification, now);
        challenge.deviceName = name;
        challenge.userHandle = userHandle;
        challenge.attestation = conveyance.name();
        String options = ceremonies.creationOptionsJson(userName, userHandle, challenge.challenge, conveyance,
                userVerification, stored(existing));
        keys.purgeChallengesExpiredBefore(now.minus(PURGE_AFTER));
        keys.saveChallenge(challenge);
        return new StartedCeremony(challenge.challengeId, options, challenge.expiresAt);
    }

    /**
     * FinishSecurityKeyRegistration: consumes the challenge (a failed ceremony uses it up too),
     * verifies the credential and stores the key as an MFA device of the user.
     */
    @Transactional(dontRollbackOn = {SecurityKeyRejectedException.class, MfaDeviceLockedException.class,
            ThrottlingException.class})
    public SecurityKeyDevice finishRegistration(Caller caller, String challengeId, String requestedUserName,
            String registrationResponseJson) {
        requireAccountPrincipal(caller);
        String userName = targetUser(caller, requestedUserName);
        requireChallengeId(challengeId);
        requireJson(registrationResponseJson, "registrationResponseJson");
        policy.authorize(caller, "iam:EnableMFADevice", userArn(caller, userName));
        String accountId = caller.accountId();

        SecurityKeyChallengeEntity challenge = keys.consumeChallenge(challengeId)
                .orElseThrow(() -> new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_UNKNOWN));
        if (!SecurityKeyChallengeEntity.REGISTRATION.equals(challenge.ceremony)
                || !challenge.accountId.equals(accountId) || !challenge.userName.equalsIgnoreCase(userName)) {
            throw new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_NOT_FOR_THIS_CEREMONY);
        }
        Instant now = clock.instant();
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
        device.serialNumber = SecurityKeySerialNumbers.generate(accountId, challenge.userName, challenge.deviceName,
                random);
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
        return new SecurityKeyDevice(device.userName, device.serialNumber, device.deviceName, device.enableDate,
                record.aaguid, record.attestationFormat, credential.transports(), record.backupEligible,
                record.backupState, record.uvInitialized);
    }

    /** StartSecurityKeyAssertion, for identity-service: a challenge allowing the user's keys. */
    @Transactional
    public StartedCeremony startAssertion(Caller caller, String accountId, String userName) {
        requireIdentityService(caller, "gatekey:StartSecurityKeyAssertion");
        IamNames.requireAccountId(accountId);
        IamNames.requireUserName(userName);
        List<SecurityKeyRecord> all = keys.keysOf(accountId, userName);
        if (all.isEmpty()) {
            throw GatekeyException.noSuchEntity("The user with name " + userName + " has no security key.");
        }
        List<SecurityKeyRecord> usable = all.stream().filter(k -> k.credential().possiblyClonedAt == null).toList();
        if (usable.isEmpty()) {
            throw new SecurityKeyRejectedException(CeremonyFailure.DEVICE_FLAGGED_AS_CLONED);
        }
        UserVerificationPolicy userVerification = ceremonies.relyingParty().userVerification();
        Instant now = clock.instant();
        SecurityKeyChallengeEntity challenge = newChallenge(SecurityKeyChallengeEntity.AUTHENTICATION, accountId,
                all.get(0).device().userName, userVerification, now);
        String options = ceremonies.requestOptionsJson(challenge.challenge, userVerification, stored(usable));
        keys.purgeChallengesExpiredBefore(now.minus(PURGE_AFTER));
        keys.saveChallenge(challenge);
        return new StartedCeremony(challenge.challengeId, options, challenge.expiresAt);
    }

    /**
     * VerifySecurityKeyAssertion, for identity-service. The challenge is consumed whatever the
     * outcome; a failure is counted on the key it names; a counter that did not increase flags
     * the key as possibly cloned. Failures are committed, the exception still reaches the caller.
     */
    @Transactional(dontRollbackOn = {SecurityKeyRejectedException.class, MfaDeviceLockedException.class,
            ThrottlingException.class})
    public VerifiedSecurityKey verifyAssertion(Caller caller, String challengeId, String authenticationResponseJson) {
        requireIdentityService(caller, "gatekey:VerifySecurityKeyAssertion");
        requireChallengeId(challengeId);
        requireJson(authenticationResponseJson, "authenticationResponseJson");
        SecurityKeyChallengeEntity challenge = keys.consumeChallenge(challengeId)
                .orElseThrow(() -> new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_UNKNOWN));
        if (!SecurityKeyChallengeEntity.AUTHENTICATION.equals(challenge.ceremony)) {
            throw new SecurityKeyRejectedException(CeremonyFailure.CHALLENGE_NOT_FOR_THIS_CEREMONY);
        }
        List<SecurityKeyRecord> usersKeys = keys.keysOfForUpdate(challenge.accountId, challenge.userName);
        Instant now = clock.instant();
        VerifiedAssertion assertion;
        try {
            assertion = ceremonies.verifyAssertion(pendingOf(challenge), authenticationResponseJson,
                    stored(usersKeys), now);
        } catch (SecurityKeyRejectedException e) {
            throw recordFailure(e, challenge.accountId, usersKeys, now);
        }
        SecurityKeyRecord key = find(usersKeys, assertion.credentialId()).orElseThrow();
        MfaDevices.requireOpen(key.device(), now);
        key.credential().signCount = assertion.signCount();
        key.credential().backupState = assertion.backupState();
        key.credential().lastUsedAt = now;
        key.device().failedAttempts = 0;
        key.device().lastFailedAt = null;
        return new VerifiedSecurityKey(challenge.accountId, key.device().userName, key.device().serialNumber, now,
                assertion.userVerified());
    }

    private SecurityKeyRejectedException recordFailure(SecurityKeyRejectedException e, String accountId,
            List<SecurityKeyRecord> usersKeys, Instant now) {
        Optional<byte[]> credentialId = e.credentialId();
        Optional<SecurityKeyRecord> key = credentialId.flatMap(id -> find(usersKeys, id));
        if (key.isPresent()) {
            MfaDeviceEntity device = key.get().device();
            if (e.failure() == CeremonyFailure.COUNTER_NOT_INCREASED) {
                keys.flagPossiblyCloned(device.id, now);
            }
            // the user's keys are locked (keysOfForUpdate), so the compare-and-set cannot lose
            devices.recordFailure(device.id, device.failedAttempts, now,
                    FailureBackoff.DEVICE.locks(device.failedAttempts + 1));
            return e;
        }
        if (e.failure() == CeremonyFailure.UNKNOWN_CREDENTIAL && credentialId.isPresent()
                && keys.credentialExists(accountId, credentialId.get())) {
            return new SecurityKeyRejectedException(CeremonyFailure.CREDENTIAL_OF_ANOTHER_USER);
        }
        return e;
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

    /** Devices belong to an account: a service principal has none to manage. */
    private static void requireAccountPrincipal(Caller caller) {
        if (caller.principalType() == PrincipalType.SERVICE || caller.accountId() == null) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to manage MFA devices");
        }
    }

    /** The user a registration is for: the named one, else the caller itself. */
    private static String targetUser(Caller caller, String requested) {
        if (requested != null && !requested.isEmpty()) {
            return IamNames.requireUserName(requested);
        }
        if (caller.isRoot()) {
            throw GatekeyException.invalidInput(
                    "The root user's own MFA devices are not supported yet; specify UserName.");
        }
        return IamNames.requireUserName(caller.userName());
    }

    /** The caller's own ARN (it carries the user's path) for itself, else the path-less user ARN. */
    private static String userArn(Caller caller, String userName) {
        if (caller.principalType() == PrincipalType.USER && userName.equalsIgnoreCase(caller.userName())) {
            return caller.principalArn();
        }
        return IamNames.userArn(caller.accountId(), userName);
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
