package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.domain.HmacAlgorithm;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.domain.PskcDocument;
import dev.gatekey.mfa.domain.PskcException;
import dev.gatekey.mfa.domain.PskcKey;
import dev.gatekey.mfa.domain.SeedCipher;
import dev.gatekey.mfa.domain.SerialNumbers;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.persistence.MfaDeviceEntity;
import dev.gatekey.mfa.persistence.MfaDeviceRepository;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hardware TOTP tokens: registration by the serial printed on the token, and bulk import from
 * a vendor's PSKC seed file (RFC 6030). Once registered, a token is enabled, resynced,
 * deactivated and verified exactly like a virtual device.
 */
@ApplicationScoped
public class HardwareTokens {
    /** RFC 4226 §4 R6: at least 128 bits; 512 bits is the longest HMAC-SHA-512 block worth using. */
    public static final int MIN_SEED_BYTES = 16;
    public static final int MAX_SEED_BYTES = 64;
    public static final String ACTION = "gatekey:RegisterHardwareMFADevice";

    @Inject
    MfaDeviceRepository devices;
    @Inject
    PolicyEnforcer policy;
    @Inject
    SeedCipher seedCipher;
    @Inject
    Clock clock;
    @Inject
    AuditTrail audit;

    /** A token to register: its seed is wiped once stored. */
    public record Token(String serialNumber, byte[] seed, TotpParameters parameters) {
        @Override
        public String toString() {
            return "Token[" + serialNumber + ", " + parameters + "]";
        }
    }

    @Transactional
    public String register(Caller caller, Actor actor, Token token, Map<String, String> tags) {
        Target.requireAccountPrincipal(caller);
        requireSerial(token.serialNumber());
        requireSeed(token.seed(), "seed");
        policy.authorize(caller, ACTION, MfaDevices.deviceArn(caller.accountId(), token.serialNumber()));
        store(caller, actor, token, tags);
        return token.serialNumber();
    }

    /** Imports every TOTP key of the document, all or nothing; PIN keys are skipped. */
    @Transactional
    public List<String> importPskc(Caller caller, Actor actor, byte[] document, Optional<byte[]> preSharedKey) {
        Target.requireAccountPrincipal(caller);
        List<PskcKey> keys = PskcDocument.parse(document, preSharedKey);
        try {
            List<Token> tokens = new ArrayList<>();
            Set<String> serials = new HashSet<>();
            for (PskcKey key : keys) {
                if (PskcKey.PIN.equals(key.algorithm())) {
                    continue; // a PIN protecting a token locally (RFC 6030 §5), not a token
                }
                Token token = token(key);
                if (!serials.add(token.serialNumber())) {
                    throw new PskcException("serial number " + token.serialNumber() + " appears twice");
                }
                tokens.add(token);
            }
            if (tokens.isEmpty()) {
                throw new PskcException("the document holds no TOTP key");
            }
            for (Token token : tokens) {
                policy.authorize(caller, ACTION, MfaDevices.deviceArn(caller.accountId(), token.serialNumber()));
            }
            List<String> imported = new ArrayList<>();
            for (Token token : tokens) {
                store(caller, actor, token, Map.of());
                imported.add(token.serialNumber());
            }
            return imported;
        } finally {
            PskcDocument.destroy(keys);
        }
    }

    private static Token token(PskcKey key) {
        if (!key.isTotp()) {
            throw new PskcException("Key " + key.keyId() + " uses algorithm " + key.algorithm()
                    + "; only time-based keys (" + PskcKey.TOTP + ") can be imported as hardware TOTP tokens");
        }
        String serial = key.serialNumber().orElseThrow(() -> new PskcException(
                "Key " + key.keyId() + " has no DeviceInfo/SerialNo to register the token under"));
        try {
            requireSerial(serial);
            requireSeed(key.secret(), "Key " + key.keyId() + " Secret");
        } catch (GatekeyException e) {
            throw new PskcException(e.getMessage());
        }
        HmacAlgorithm algorithm = key.suite().map(HardwareTokens::algorithm).orElse(HmacAlgorithm.SHA1);
        int digits = key.digits().orElse(6);
        int period = key.timeIntervalSeconds().orElse(30);
        TotpParameters parameters;
        try {
            parameters = new TotpParameters(algorithm, digits, period);
        } catch (IllegalArgumentException e) {
            throw new PskcException("Key " + key.keyId() + ": " + e.getMessage());
        }
        return new Token(serial, key.secret(), parameters);
    }

    private static HmacAlgorithm algorithm(String suite) {
        return switch (suite.toUpperCase(Locale.ROOT).replace("HMAC-", "").replace("-", "")) {
            case "SHA1" -> HmacAlgorithm.SHA1;
            case "SHA256" -> HmacAlgorithm.SHA256;
            case "SHA512" -> HmacAlgorithm.SHA512;
            default -> throw new PskcException("Suite " + suite + " is not HMAC-SHA1, HMAC-SHA256 or HMAC-SHA512");
        };
    }

    private void store(Caller caller, Actor actor, Token token, Map<String, String> tags) {
        if (devices.serialExists(token.serialNumber())) {
            throw GatekeyException.entityAlreadyExists("MFA device with serial number " + token.serialNumber()
                    + " already exists.");
        }
        Instant now = clock.instant();
        MfaDeviceEntity device = new MfaDeviceEntity();
        device.serialNumber = token.serialNumber();
        device.accountId = caller.accountId();
        device.type = MfaDeviceType.HARDWARE_TOTP;
        device.path = "/";
        byte[] seed = token.seed();
        try {
            device.storeSeed(seedCipher.encrypt(seed, token.serialNumber()), token.parameters());
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
        }
        device.createdAt = now;
        device.tags.putAll(tags);
        try {
            devices.persistAndFlush(device);
        } catch (PersistenceException e) {
            if (MfaDevices.causedByConstraintViolation(e)) {
                throw GatekeyException.entityAlreadyExists("MFA device with serial number " + token.serialNumber()
                        + " already exists.");
            }
            throw e;
        }
        audit.record(actor.event(now, caller.accountId(), "RegisterHardwareMFADevice", token.serialNumber(), null,
                AuditTrail.SUCCESS));
    }

    /** A printed serial: not an ARN (those name virtual devices and security keys). */
    static void requireSerial(String serial) {
        SerialNumbers.require(serial);
        if (serial.regionMatches(true, 0, "arn:", 0, 4) || serial.length() > 256) {
            throw GatekeyException.invalidInput("1 validation error detected: Value '" + serial + "' at "
                    + "'serialNumber' failed to satisfy constraint: a hardware token's serial number is the one "
                    + "printed on it (9-256 printable characters), not an ARN");
        }
    }

    private static void requireSeed(byte[] seed, String what) {
        if (seed == null || seed.length < MIN_SEED_BYTES || seed.length > MAX_SEED_BYTES) {
            throw GatekeyException.invalidInput(what + " must be " + MIN_SEED_BYTES + " to " + MAX_SEED_BYTES
                    + " bytes (RFC 4226 requires at least 128 bits).");
        }
    }
}
