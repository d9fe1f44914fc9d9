package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.config.MfaConfig;
import dev.gatekey.mfa.domain.EncryptedSeed;
import dev.gatekey.mfa.domain.FailureBackoff;
import dev.gatekey.mfa.domain.InvalidAuthenticationCodeException;
import dev.gatekey.mfa.domain.MfaDeviceLockedException;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.domain.NewVirtualMfaDevice;
import dev.gatekey.mfa.domain.Paging;
import dev.gatekey.mfa.domain.SeedCipher;
import dev.gatekey.mfa.domain.SerialNumbers;
import dev.gatekey.mfa.domain.Tags;
import dev.gatekey.mfa.domain.ThrottlingException;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.domain.TotpVerification;
import dev.gatekey.mfa.persistence.MfaDeviceEntity;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.AccessDeniedException;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The application service for device management (AWS's MFA device API): authorizes each
 * action for the caller, runs the domain rules, keeps the database consistent and writes the
 * audit trail, one transaction per method.
 */
@ApplicationScoped
public class MfaDevices {
    /** AWS: "You can register up to 8 MFA devices of any combination ... with a single user." */
    public static final int MAX_DEVICES_PER_USER = 8;
    private static final Pattern CODE = Pattern.compile("\\d{6,8}");

    @Inject
    MfaDeviceRepository devices;
    @Inject
    PolicyEnforcer policy;
    @Inject
    SeedCipher seedCipher;
    @Inject
    SecureRandom random;
    @Inject
    Clock clock;
    @Inject
    MfaConfig config;
    @Inject
    AuditTrail audit;

    /** An assigned device as ListMFADevices and GetMFADevice return it. */
    public record AssignedDevice(String userName, String serialNumber, Instant enableDate, MfaDeviceType type) {
    }

    /** A page of a list. */
    public record Page<T>(List<T> items, Optional<String> nextMarker) {
    }

    /** A virtual device as ListVirtualMFADevices returns it: never its seed. */
    public record ListedVirtualDevice(String serialNumber, Optional<String> userName, Optional<String> userArn,
            Optional<Instant> enableDate, Map<String, String> tags) {
    }

    /** CreateVirtualMFADevice: the seed leaves the service here and only here. */
    @Transactional
    public NewVirtualMfaDevice createVirtualMfaDevice(Caller caller, Actor actor, String name, String path,
            Map<String, String> tags) {
        Target.requireAccountPrincipal(caller);
        String validName = IamNames.requireVirtualMfaDeviceName(name);
        String validPath = IamNames.requirePath(path);
        String serialNumber = IamNames.virtualMfaDeviceSerialNumber(caller.accountId(), validPath, validName);
        policy.authorize(caller, "iam:CreateVirtualMFADevice", serialNumber);
        if (devices.nameExists(caller.accountId(), validName)) {
            throw alreadyExists(validName);
        }
        NewVirtualMfaDevice created = NewVirtualMfaDevice.generate(caller.accountId(), validPath, validName,
                config.issuer(), random);
        MfaDeviceEntity device = new MfaDeviceEntity();
        device.serialNumber = created.serialNumber();
        device.accountId = caller.accountId();
        device.type = MfaDeviceType.VIRTUAL;
        device.deviceName = validName;
        device.path = validPath;
        device.storeSeed(seedCipher.encrypt(created.seed(), created.serialNumber()), TotpParameters.VIRTUAL_DEVICE);
        device.createdAt = clock.instant();
        device.tags.putAll(tags);
        try {
            devices.persistAndFlush(device);
        } catch (PersistenceException e) {
            // A concurrent create of the same name (or serial) lost the race on the unique index.
            if (causedByConstraintViolation(e)) {
                throw alreadyExists(validName);
            }
            throw e;
        }
        audit.record(actor.event(device.createdAt, caller.accountId(), "CreateVirtualMFADevice",
                created.serialNumber(), null, AuditTrail.SUCCESS));
        return created;
    }

    /** EnableMFADevice: assigns a TOTP device after two consecutive codes (steps T and T+1). */
    @Transactional
    public void enableMfaDevice(Caller caller, Actor actor, String requestedUserName, String serialNumber,
            String code1, String code2) {
        Target target = Target.of(caller, requestedUserName);
        SerialNumbers.require(serialNumber);
        requireCode(code1, "authenticationCode1");
        requireCode(code2, "authenticationCode2");
        policy.authorize(caller, "iam:EnableMFADevice", target.arn());

        devices.lockUser(caller.accountId(), target.storedName());
        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .orElseThrow(() -> noSuchDevice(serialNumber));
        requireTotp(device);
        if (device.userName != null) {
            throw GatekeyException.entityAlreadyExists("MFA device is already in use.");
        }
        if (devices.countAssigned(caller.accountId(), target.storedName()) >= MAX_DEVICES_PER_USER) {
            throw GatekeyException.limitExceeded(
                    "Cannot exceed quota for MFA devices per user: " + MAX_DEVICES_PER_USER + ".");
        }
        Instant now = clock.instant();
        TotpVerification.Enablement enablement = TotpVerification.enable(totpOf(device), code1, code2, now);
        device.userName = target.storedName();
        device.enableDate = now;
        device.driftSteps = enablement.driftSteps();
        device.lastUsedStep = enablement.lastUsedStep();
        device.failedAttempts = 0;
        device.lastFailedAt = null;
        device.lockedAt = null;
        audit.record(actor.event(now, caller.accountId(), "EnableMFADevice", serialNumber, target.storedName(),
                AuditTrail.SUCCESS));
    }

    /**
     * ResyncMFADevice: two consecutive codes later than any code used so far re-learn the
     * drift. Wrong codes count as failed attempts of the device (brute-force defence).
     */
    @Transactional(dontRollbackOn = InvalidAuthenticationCodeException.class)
    public void resyncMfaDevice(Caller caller, Actor actor, String requestedUserName, String serialNumber,
            String code1, String code2) {
        Target target = Target.of(caller, requestedUserName);
        SerialNumbers.require(serialNumber);
        requireCode(code1, "authenticationCode1");
        requireCode(code2, "authenticationCode2");
        policy.authorize(caller, "iam:ResyncMFADevice", target.arn());

        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .filter(d -> d.userName != null && d.userName.equalsIgnoreCase(target.storedName()))
                .orElseThrow(() -> noSuchDevice(serialNumber));
        requireTotp(device);
        Instant now = clock.instant();
        requireOpen(device, now);
        Optional<TotpVerification.Enablement> found;
        try {
            found = Optional.of(TotpVerification.enable(totpOf(device), code1, code2, now))
                    .filter(e -> device.lastUsedStep == null || e.lastUsedStep() - 1 > device.lastUsedStep);
        } catch (InvalidAuthenticationCodeException e) {
            found = Optional.empty();
        }
        if (found.isEmpty()) {
            boolean locks = FailureBackoff.DEVICE.locks(device.failedAttempts + 1);
            // the row is locked (findForUpdate), so the compare-and-set cannot lose
            devices.recordFailure(device.id, device.failedAttempts, now, locks);
            audit.record(actor.event(now, caller.accountId(), "FailedAttempt", serialNumber, device.userName,
                    "InvalidAuthenticationCode"));
            if (locks) {
                audit.record(actor.event(now, caller.accountId(), "Lock", serialNumber, device.userName,
                        MfaDeviceLockedException.CODE));
            }
            devices.getEntityManager().detach(device);
            throw new InvalidAuthenticationCodeException();
        }
        device.driftSteps = found.get().driftSteps();
        device.lastUsedStep = found.get().lastUsedStep();
        device.failedAttempts = 0;
        device.lastFailedAt = null;
        audit.record(actor.event(now, caller.accountId(), "ResyncMFADevice", serialNumber, device.userName,
                AuditTrail.SUCCESS));
    }

    /**
     * DeactivateMFADevice: a TOTP device becomes unassigned (it can be enabled again, with two
     * fresh codes); a security key is removed with its credential.
     */
    @Transactional
    public void deactivateMfaDevice(Caller caller, Actor actor, String requestedUserName, String serialNumber) {
        Target target = Target.of(caller, requestedUserName);
        SerialNumbers.require(serialNumber);
        policy.authorize(caller, "iam:DeactivateMFADevice", target.arn());

        devices.lockUser(caller.accountId(), target.storedName());
        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .filter(d -> d.userName != null && d.userName.equalsIgnoreCase(target.storedName()))
                .orElseThrow(() -> noSuchDevice(serialNumber));
        String userName = device.userName;
        if (device.type == MfaDeviceType.SECURITY_KEY) {
            devices.delete(device);
        } else {
            device.userName = null;
            device.enableDate = null;
            device.driftSteps = 0;
            device.failedAttempts = 0;
            device.lastFailedAt = null;
            device.lockedAt = null;
        }
        audit.record(actor.event(clock.instant(), caller.accountId(), "DeactivateMFADevice", serialNumber, userName,
                AuditTrail.SUCCESS));
    }

    /** DeleteVirtualMFADevice: only an unassigned virtual device (else DeleteConflict). */
    @Transactional
    public void deleteVirtualMfaDevice(Caller caller, Actor actor, String serialNumber) {
        Target.requireAccountPrincipal(caller);
        SerialNumbers.require(serialNumber);
        policy.authorize(caller, "iam:DeleteVirtualMFADevice", serialNumber);
        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .filter(d -> d.type == MfaDeviceType.VIRTUAL)
                .orElseThrow(() -> noSuchDevice(serialNumber));
        if (device.userName != null) {
            throw new GatekeyException("DeleteConflict", ErrorKind.CONFLICT,
                    "MFA VirtualDevice in use. Must deactivate first.");
        }
        devices.delete(device);
        audit.record(actor.event(clock.instant(), caller.accountId(), "DeleteVirtualMFADevice", serialNumber, null,
                AuditTrail.SUCCESS));
    }

    /** ListMFADevices: every device assigned to the user, of every type, oldest first. */
    @Transactional
    public Page<AssignedDevice> listMfaDevices(Caller caller, String requestedUserName, String marker, int maxItems) {
        Target target = Target.of(caller, requestedUserName);
        int limit = Paging.maxItems(maxItems);
        int offset = Paging.offset(marker);
        policy.authorize(caller, "iam:ListMFADevices", target.arn());
        List<AssignedDevice> all = devices.listAssigned(caller.accountId(), target.storedName()).stream()
                .map(MfaDevices::assigned).toList();
        return page(all, offset, limit);
    }

    /** GetMFADevice: one device assigned to the user. */
    @Transactional
    public AssignedDevice getMfaDevice(Caller caller, String requestedUserName, String serialNumber) {
        Target target = Target.of(caller, requestedUserName);
        SerialNumbers.require(serialNumber);
        policy.authorize(caller, "iam:GetMFADevice", target.arn());
        return devices.findAssigned(caller.accountId(), target.storedName(), serialNumber)
                .map(MfaDevices::assigned)
                .orElseThrow(() -> noSuchDevice(serialNumber));
    }

    /** ListVirtualMFADevices: the account's virtual devices by assignment, by serial number. */
    @Transactional
    public Page<ListedVirtualDevice> listVirtualMfaDevices(Caller caller, Boolean assigned, String marker,
            int maxItems) {
        Target.requireAccountPrincipal(caller);
        int limit = Paging.maxItems(maxItems);
        String after = Paging.key(marker).orElse("");
        policy.authorize(caller, "iam:ListVirtualMFADevices", "*");
        List<MfaDeviceEntity> rows = devices.listVirtual(caller.accountId(), assigned, after, limit + 1);
        List<ListedVirtualDevice> items = new ArrayList<>();
        for (MfaDeviceEntity d : rows.subList(0, Math.min(limit, rows.size()))) {
            Optional<String> user = Optional.ofNullable(d.userName);
            items.add(new ListedVirtualDevice(d.serialNumber, user.map(Target::displayName),
                    user.map(u -> Target.ROOT.equals(u) ? IamNames.rootArn(d.accountId)
                            : IamNames.userArn(d.accountId, u)),
                    Optional.ofNullable(d.enableDate), new LinkedHashMap<>(d.tags)));
        }
        Optional<String> next = rows.size() > limit
                ? Optional.of(Paging.marker(items.get(items.size() - 1).serialNumber())) : Optional.empty();
        return new Page<>(items, next);
    }

    /** TagMFADevice: adds or overwrites tags; at most 50 on the device (LimitExceeded). */
    @Transactional
    public void tagMfaDevice(Caller caller, Actor actor, String serialNumber, Map<String, String> tags) {
        Target.requireAccountPrincipal(caller);
        SerialNumbers.require(serialNumber);
        if (tags.isEmpty()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at 'tags' failed to satisfy "
                    + "constraint: Member must have length greater than or equal to 1");
        }
        policy.authorize(caller, "iam:TagMFADevice", deviceArn(caller.accountId(), serialNumber));
        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .orElseThrow(() -> noSuchDevice(serialNumber));
        Map<String, String> merged = new LinkedHashMap<>(device.tags);
        merged.putAll(tags);
        if (merged.size() > Tags.MAX_TAGS) {
            throw GatekeyException.limitExceeded("The number of tags has reached the maximum limit of "
                    + Tags.MAX_TAGS + ".");
        }
        device.tags.putAll(tags);
        audit.record(actor.event(clock.instant(), caller.accountId(), "TagMFADevice", serialNumber, device.userName,
                AuditTrail.SUCCESS));
    }

    /** UntagMFADevice: removes tags by key; absent keys are ignored, as AWS does. */
    @Transactional
    public void untagMfaDevice(Caller caller, Actor actor, String serialNumber, Collection<String> tagKeys) {
        Target.requireAccountPrincipal(caller);
        SerialNumbers.require(serialNumber);
        if (tagKeys.isEmpty() || tagKeys.size() > Tags.MAX_TAGS) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at 'tagKeys' failed to satisfy "
                    + "constraint: Member must have length less than or equal to 50 and greater than or equal to 1");
        }
        policy.authorize(caller, "iam:UntagMFADevice", deviceArn(caller.accountId(), serialNumber));
        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .orElseThrow(() -> noSuchDevice(serialNumber));
        tagKeys.forEach(device.tags::remove);
        audit.record(actor.event(clock.instant(), caller.accountId(), "UntagMFADevice", serialNumber, device.userName,
                AuditTrail.SUCCESS));
    }

    /** ListMFADeviceTags: sorted by key. */
    @Transactional
    public Page<Map.Entry<String, String>> listMfaDeviceTags(Caller caller, String serialNumber, String marker,
            int maxItems) {
        Target.requireAccountPrincipal(caller);
        SerialNumbers.require(serialNumber);
        int limit = Paging.maxItems(maxItems);
        int offset = Paging.offset(marker);
        policy.authorize(caller, "iam:ListMFADeviceTags", deviceArn(caller.accountId(), serialNumber));
        MfaDeviceEntity device = devices.findInAccount(caller.accountId(), serialNumber)
                .orElseThrow(() -> noSuchDevice(serialNumber));
        return page(List.copyOf(new TreeMap<>(device.tags).entrySet()), offset, limit);
    }

    /**
     * UnlockMFADevice: an admin clears a device's failures, back-off and lock, and the user's
     * counter. Users cannot unlock their own devices.
     */
    @Transactional
    public void unlockMfaDevice(Caller caller, Actor actor, String requestedUserName, String serialNumber) {
        Target target = Target.of(caller, requestedUserName);
        SerialNumbers.require(serialNumber);
        if (target.isCaller(caller) && !caller.isRoot()) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to perform: gatekey:UnlockMFADevice on its own device");
        }
        policy.authorize(caller, "gatekey:UnlockMFADevice", target.arn());
        // serializes with the user's security-key assertions, which count under this lock
        devices.lockUser(caller.accountId(), target.storedName());
        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .filter(d -> d.userName != null && d.userName.equalsIgnoreCase(target.storedName()))
                .orElseThrow(() -> noSuchDevice(serialNumber));
        devices.unlock(device.id);
        devices.clearUserFailures(caller.accountId(), target.failureKey());
        audit.record(actor.event(clock.instant(), caller.accountId(), "UnlockMFADevice", serialNumber,
                device.userName, AuditTrail.SUCCESS));
    }

    /** The AWS resource ARN of a device: its serial for virtual devices, {@code mfa/<serial>} for tokens. */
    static String deviceArn(String accountId, String serialNumber) {
        return serialNumber.startsWith("arn:") ? serialNumber : "arn:aws:iam::" + accountId + ":mfa/" + serialNumber;
    }

    /** Refuses a locked device, or one still in its back-off (codes are not even looked at). */
    public static void requireOpen(MfaDeviceEntity device, Instant now) {
        requireOpen(device.lockedAt, device.failedAttempts, device.lastFailedAt, now);
    }

    /** {@link #requireOpen(MfaDeviceEntity, Instant)} of a device's lock and counter. */
    public static void requireOpen(Instant lockedAt, int failedAttempts, Instant lastFailedAt, Instant now) {
        if (lockedAt != null) {
            throw new MfaDeviceLockedException();
        }
        FailureBackoff.DEVICE.nextAttemptAt(failedAttempts, lastFailedAt, now)
                .ifPresent(next -> {
                    throw new ThrottlingException(Math.max(1, Duration.between(now, next).toSeconds() + 1));
                });
    }

    Totp totpOf(MfaDeviceEntity device) {
        return totpOf(device.encryptedSeed(), device.serialNumber, device.totpParameters());
    }

    Totp totpOf(EncryptedSeed encrypted, String serialNumber, TotpParameters parameters) {
        byte[] seed = seedCipher.decrypt(encrypted, serialNumber);
        try {
            return new Totp(seed, parameters);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static AssignedDevice assigned(MfaDeviceEntity d) {
        return new AssignedDevice(Target.displayName(d.userName), d.serialNumber, d.enableDate, d.type);
    }

    private static <T> Page<T> page(List<T> all, int offset, int limit) {
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + limit);
        Optional<String> next = to < all.size() ? Optional.of(Paging.marker(Integer.toString(to))) : Optional.empty();
        return new Page<>(all.subList(from, to), next);
    }

    private static void requireTotp(MfaDeviceEntity device) {
        if (device.type == MfaDeviceType.SECURITY_KEY) {
            throw new GatekeyException("InvalidInput", ErrorKind.INVALID_INPUT,
                    "Security keys are enabled and verified with WebAuthn ceremonies, not authentication codes.");
        }
    }

    private static void requireCode(String code, String parameter) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at '" + parameter
                    + "' failed to satisfy constraint: Member must have length between 6 and 8 and match [\\d]+");
        }
    }

    static GatekeyException noSuchDevice(String serialNumber) {
        return GatekeyException.noSuchEntity("MFA device with serial number " + serialNumber + " not found.");
    }

    private static GatekeyException alreadyExists(String name) {
        return GatekeyException.entityAlreadyExists("MFADevice entity at the same path and name already exists: "
                + name + ".");
    }

    static boolean causedByConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
