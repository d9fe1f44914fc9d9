package dev.gatekey.mfa.securitykey;

import dev.gatekey.mfa.securitykey.domain.AttestationConveyance;
import dev.gatekey.mfa.securitykey.domain.RelyingParty;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyCeremonies;
import dev.gatekey.mfa.securitykey.domain.UserVerificationPolicy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Optional;
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
                AttestationConveyance.parse(config.attestation()), allowList, config.challengeTtl(),
                trustAnchors(config.attestationTrustAnchors()));
        return new SecurityKeyCeremonies(relyingParty, random);
    }

    static Set<X509Certificate> trustAnchors(Optional<String> pemFile) {
        if (pemFile.isEmpty() || pemFile.get().isBlank()) {
            return Set.of();
        }
        try (InputStream in = Files.newInputStream(Path.of(pemFile.get().trim()))) {
            Set<X509Certificate> anchors = new LinkedHashSet<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.add((X509Certificate) certificate);
            }
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the attestation trust anchors " + pemFile.get());
            }
            return anchors;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read the attestation trust anchors " + pemFile.get(), e);
        }
    }
}
