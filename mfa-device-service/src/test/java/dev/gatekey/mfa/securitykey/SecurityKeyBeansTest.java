package dev.gatekey.mfa.securitykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.webauthn4j.test.TestAttestationUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GATEKEY_MFA_WEBAUTHN_ATTESTATION_TRUST_ANCHORS: a PEM bundle of root certificates. */
class SecurityKeyBeansTest {

    @Test
    void readsEveryCertificateOfAPemBundle(@TempDir Path dir) throws Exception {
        X509Certificate root3 = TestAttestationUtil.load3tierTestRootCACertificate();
        X509Certificate yubico = TestAttestationUtil.loadYubikeyFIDO2AttestationCertificate();
        Path bundle = dir.resolve("roots.pem");
        Files.writeString(bundle, pem(root3) + pem(yubico), StandardCharsets.US_ASCII);
        assertEquals(Set.of(root3, yubico), SecurityKeyBeans.trustAnchors(Optional.of(bundle.toString())));
    }

    @Test
    void noFileMeansNoAnchorsAndABadFileStopsTheService(@TempDir Path dir) throws Exception {
        assertTrue(SecurityKeyBeans.trustAnchors(Optional.empty()).isEmpty());
        assertTrue(SecurityKeyBeans.trustAnchors(Optional.of(" ")).isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> SecurityKeyBeans.trustAnchors(Optional.of(dir.resolve("missing.pem").toString())));
        Path empty = Files.writeString(dir.resolve("empty.pem"), "", StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> SecurityKeyBeans.trustAnchors(Optional.of(empty.toString())));
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
