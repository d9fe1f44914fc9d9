package dev.gatekey.mfa.application;

import dev.gatekey.mfa.persistence.SignInDevices.SignInDevice;
import dev.gatekey.mfa.config.MfaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TOTP devices VerifyTotp read recently, so that a right code costs one UPDATE instead of a
 * SELECT and an UPDATE. Nothing here is trusted: it only proposes the step a code matches, and
 * {@code SignInDevices.acceptRemembered} accepts it only if the database still agrees on
 * everything the proposal assumed; otherwise VerifyTotp reads the device again. Seeds stay
 * encrypted as stored. Bounded ({@code gatekey.mfa.remembered-devices}): when full it starts over.
 */
@ApplicationScoped
public class RememberedDevices {
    private final Map<String, SignInDevice> devices = new ConcurrentHashMap<>();
    @Inject
    MfaConfig config;

    Optional<SignInDevice> get(String accountId, String userKey, String serialNumber) {
        return Optional.ofNullable(devices.get(key(accountId, userKey, serialNumber)));
    }

    /** Remembers a device whose step {@code lastUsedStep} was just accepted with {@code driftSteps}. */
    void accepted(String accountId, String userKey, SignInDevice device, long lastUsedStep, int driftSteps) {
        int capacity = config.rememberedDevices();
        if (capacity <= 0) {
            return;
        }
        if (devices.size() >= capacity) {
            devices.clear();
        }
        devices.put(key(accountId, userKey, device.serialNumber()), new SignInDevice(device.id(),
                device.serialNumber(), device.userName(), device.seed(), device.parameters(), driftSteps, lastUsedStep,
                0, null, null, device.userFailures()));
    }

    void forget(String accountId, String userKey, String serialNumber) {
        devices.remove(key(accountId, userKey, serialNumber));
    }

    private static String key(String accountId, String userKey, String serialNumber) {
        return accountId + '\n' + userKey.toLowerCase(Locale.ROOT) + '\n' + serialNumber;
    }
}
