package dev.gatekey.mfa.config;

import dev.gatekey.mfa.domain.SeedCipher;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;

/** Domain objects built from configuration. A bad key ring stops the service at startup. */
public class MfaBeans {

    @Produces
    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Produces
    @Singleton
    @Startup
    SeedCipher seedCipher(MfaConfig config, SecureRandom random) {
        return SeedCipher.fromConfiguration(config.seedKeys(), config.seedActiveKeyId(), random);
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
