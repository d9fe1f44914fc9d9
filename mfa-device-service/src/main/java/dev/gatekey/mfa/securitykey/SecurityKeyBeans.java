package dev.gatekey.mfa.securitykey;

import dev.gatekey.mfa.securitykey.domain.AttestationConveyance;
import dev.gatekey.mfa.securitykey.domain.RelyingParty;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyCeremonies;
import dev.gatekey.mfa.securitykey.domain.UserVerificationPolicy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** The WebAuthn relying party built from configuration; a bad value stops the service at startup. */
public class SecurityKeyBeans {

    @Produces
    @Singleton
    @Startup
    SecurityKeyCeremonies securityKeyCeremonies(SecurityKeyConfig config, SecureRandom random) {
        Set<UUID> allowList = new LinkedHashSet<>();
        config.aaguidAllowList().ifPresent(list -> list.stream().map(String::trim).filter(s -> !s.isEmpty())
                .forEach(aaguid -> allowList.add(UUID.fromString(aaguid))));
        Set<String> origins = new LinkedHashSet<>();
        config.origins().stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(origins::add);
        RelyingParty relyingParty = new RelyingParty(config.rpId().trim(), config.rpName(), origins,
                UserVerificationPolicy.parse(config.userVerification()),
                AttestationConveyance.parse(config.attestation()), allowList, config.challengeTtl());
        return new SecurityKeyCeremonies(relyingParty, random);
    }
}
