package dev.gatekey.mfa.config;

import dev.gatekey.mfa.domain.EncryptedSeed;
import dev.gatekey.mfa.domain.NewVirtualMfaDevice;
import dev.gatekey.mfa.domain.SeedCipher;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Does once at start what the first CreateVirtualMFADevice and VerifyTotp would otherwise pay
 * for (class loading, the QR code encoder, AES-GCM and HMAC initialisation, the seed generator):
 * on a loaded machine that first call took longer than identity-service's deadline. The
 * throw-away device is never stored; the database pool is opened by
 * {@code quarkus.datasource.jdbc.initial-size}.
 */
@Singleton
public class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class);

    void onStart(@Observes StartupEvent event, SeedCipher cipher, SecureRandom random) {
        long started = System.nanoTime();
        NewVirtualMfaDevice device = NewVirtualMfaDevice.generate("000000000000", "/", "warm-up", "Gatekey", random);
        EncryptedSeed sealed = cipher.encrypt(device.seed(), device.serialNumber());
        new Totp(cipher.decrypt(sealed, device.serialNumber()), TotpParameters.VIRTUAL_DEVICE).codeAt(Instant.now());
        LOG.infof("Warmed up (QR code, AES-GCM, HMAC) in %d ms", (System.nanoTime() - started) / 1_000_000);
    }
}
