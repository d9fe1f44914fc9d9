package dev.gatekey.mfa.application;

import dev.gatekey.mfa.config.MfaConfig;
import dev.gatekey.mfa.domain.InvalidAuthenticationCodeException;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.domain.NewVirtualMfaDevice;
import dev.gatekey.mfa.domain.SeedCipher;
import dev.gatekey.mfa.domain.SerialNumbers;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.domain.TotpVerification;
import dev.gatekey.mfa.persistence.MfaDeviceEntity;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The application service: authorizes each action for the caller, runs the domain rules and
 * keeps the database consistent, one transaction per method.
 */
@ApplicationScoped
public class MfaDevices {
    /** AWS: "You can register up to 8 MFA devices of any combination ... with a single user." */
    public static final int MAX_DEVICES_PER_USER = 8;
    /** The only principal VerifyTotp answers (identity-service, signing for itself). */
    public static final String IDENTITY_SERVICE = "gatekey:service/identity-service";
    private static final Pattern VIRTUAL_CODE = Pattern.compile("\\d{6}");
    private static final Pattern ANY_CODE = Pattern.compile("\\d{6,8}");

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

    /** An assigned device as ListMFADevices returns it. */
    public record AssignedDevice(String userName, String serialNumber, Instant enableDate) {
    }

    /** A code accepted by VerifyTotp. */
    public record Verified(String serialNumber, Instant authenticatedAt) {
    }

    /** CreateVirtualMFADevice: the seed leaves the service here and only here. */
    @Transactional
    public NewVirtualMfaDevice createVirtualMfaDevice(Caller caller, String name, String path,
            Map<String, String> tags) {
        requireAccountPrincipal(caller);
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
        return created;
    }

    /** EnableMFADevice: assigns a device after two consecutive codes (steps T and T+1). */
    @Transactional
    public void enableMfaDevice(Caller caller, String requestedUserName, String serialNumber, String code1,
            String code2) {
        requireAccountPrincipal(caller);
        String userName = targetUser(caller, requestedUserName);
        SerialNumbers.require(serialNumber);
        requireVirtualCode(code1, "authenticationCode1");
        requireVirtualCode(code2, "authenticationCode2");
        policy.authorize(caller, "iam:EnableMFADevice", userArn(caller, userName));

        devices.lockUser(caller.accountId(), userName);
        MfaDeviceEntity device = devices.findForUpdate(caller.accountId(), serialNumber)
                .orElseThrow(() -> GatekeyException.noSuchEntity(
                        "MFA device with serial number " + serialNumber + " not found."));
        if (device.userName != null) {
            throw GatekeyException.entityAlreadyExists("MFA device is already in use.");
        }
        if (devices.countAssigned(caller.accountId(), userName) >= MAX_DEVICES_PER_USER) {
            throw GatekeyException.limitExceeded(
                    "Cannot exceed quota for MFA devices per user: " + MAX_DEVICES_PER_USER + ".");
        }
        Instant now = clock.instant();
        TotpVerification.Enablement enablement = TotpVerification.enable(totpOf(device), code1, code2, now);
        device.userName = userName;
        device.enableDate = now;
        device.driftSteps = enablement.driftSteps();
        device.lastUsedStep = enablement.lastUsedStep();
        device.failedAttempts = 0;
        device.lastFailedAt = null;
    }

    /** ListMFADevices: the user's assigned devices, oldest first. */
    @Transactional
    public List<AssignedDevice> listMfaDevices(Caller caller, String requestedUserName) {
        requireAccountPrincipal(caller);
        if (caller.isRoot() && (requestedUserName == null || requestedUserName.isEmpty())) {
            // Root's own devices are not managed here yet, so it has none.
            policy.authorize(caller, "iam:ListMFADevices", caller.principalArn());
            return List.of();
        }
        String userName = targetUser(caller, requestedUserName);
        policy.authorize(caller, "iam:ListMFADevices", userArn(caller, userName));
        return devices.listAssigned(caller.accountId(), userName).stream()
                .map(d -> new AssignedDevice(d.userName, d.serialNumber, d.enableDate))
                .toList();
    }

    /**
     * VerifyTotp: accepts a code once. Failures are committed (the counter survives the
     * error), the success is a conditional update so concurrent requests with one code cannot
     * both pass.
     */
    @Transactional(dontRollbackOn = InvalidAuthenticationCodeException.class)
    public Verified verifyTotp(Caller caller, String accountId, String userName, String serialNumber, String code) {
        if (caller.principalType() != PrincipalType.SERVICE || !IDENTITY_SERVICE.equals(caller.principalArn())) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to perform: gatekey:VerifyTotp");
        }
        IamNames.requireAccountId(accountId);
        IamNames.requireUserName(userName);
        SerialNumbers.require(serialNumber);
        MfaDeviceEntity device = devices.findAssigned(accountId, userName, serialNumber)
                .filter(d -> d.type != MfaDeviceType.SECURITY_KEY)
                .orElseThrow(InvalidAuthenticationCodeException::new);
        Instant now = clock.instant();
        if (code == null || !ANY_CODE.matcher(code).matches()) {
            devices.recordFailure(device.id, now);
            throw new InvalidAuthenticationCodeException();
        }
        var accepted = TotpVerification.signIn(totpOf(device), code, now, device.driftSteps,
                device.lastUsedStep == null ? Long.MIN_VALUE : device.lastUsedStep);
        if (accepted.isEmpty() || !devices.acceptStep(device.id, accepted.get().step(), accepted.get().driftSteps())) {
            devices.recordFailure(device.id, now);
            throw new InvalidAuthenticationCodeException();
        }
        return new Verified(device.serialNumber, now);
    }

    private Totp totpOf(MfaDeviceEntity device) {
        byte[] seed = seedCipher.decrypt(device.encryptedSeed(), device.serialNumber);
        try {
            return new Totp(seed, device.totpParameters());
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Devices belong to an account: a service principal has none to manage. */
    private static void requireAccountPrincipal(Caller caller) {
        if (caller.principalType() == PrincipalType.SERVICE || caller.accountId() == null) {
            throw new AccessDeniedException("User: " + caller.principalArn()
                    + " is not authorized to manage MFA devices");
        }
    }

    /** The user a management call is about: the named one, else the caller itself. */
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

    private static void requireVirtualCode(String code, String parameter) {
        if (code == null || !VIRTUAL_CODE.matcher(code).matches()) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at '" + parameter
                    + "' failed to satisfy constraint: Member must have length 6 and match [\\d]+");
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
