package dev.gatekey.identity.config;

import dev.gatekey.identity.domain.Argon2idPasswordHasher;
import dev.gatekey.identity.domain.PasswordPolicy;
import dev.gatekey.identity.domain.UniqueIds;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;

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
}
