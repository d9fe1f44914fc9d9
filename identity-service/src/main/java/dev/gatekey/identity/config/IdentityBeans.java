package dev.gatekey.identity.config;

import dev.gatekey.identity.domain.Argon2idPasswordHasher;
import dev.gatekey.identity.domain.PasswordPolicy;
import dev.gatekey.identity.domain.UniqueIds;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import dev.gatekey.identity.domain.CredentialIds;
import dev.gatekey.identity.domain.SecretCipher;
import dev.gatekey.identity.domain.sigv4.SigV4Verifier;
import java.security.SecureRandom;
import java.time.Clock;

/** The domain objects the application services use, one instance each. */
public class IdentityBeans {

    @Produces
    @Singleton
    Argon2idPasswordHasher passwordHasher() {
        return new Argon2idPasswordHasher(Argon2idPasswordHasher.OWASP, new SecureRandom());
    }

    @Produces
    @Singleton
    UniqueIds uniqueIds() {
        return new UniqueIds(new SecureRandom());
    }

    @Produces
    @Singleton
    PasswordPolicy passwordPolicy() {
        return PasswordPolicy.AWS_DEFAULT;
    }

    @Produces
    @Singleton
    CredentialIds credentialIds() {
        return new CredentialIds(new SecureRandom());
    }

    @Produces
    @Singleton
    SecretCipher secretCipher(IdentityConfig config) {
        return SecretCipher.fromConfiguration(config.secretKeys(), config.secretActiveKeyId(), new SecureRandom());
    }

    @Produces
    @Singleton
    SigV4Verifier sigV4Verifier() {
        return new SigV4Verifier(Clock.systemUTC());
    }
}
