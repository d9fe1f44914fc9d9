package dev.gatekey.mfa.securitykey.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.test.TestAttestationUtil;
import dev.gatekey.mfa.securitykey.SecurityKeyBrowser;
import dev.gatekey.platform.error.GatekeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The ceremonies of WebAuthn L3 sections 7.1 and 7.2 driven by webauthn4j-test's emulated
 * browser and security keys: every response is made by an authenticator with a real key.
 */
class SecurityKeyCeremoniesTest {
    private static final String ORIGIN = "https://localhost:8443";
    private static final Instant NOW = Instant.parse("2026-11-28T05:00:00Z");
    private static final UUID MODEL_A = UUID.fromString("cb69481e-8ff7-4039-93ec-0a2729a154a8");
    private static final UUID MODEL_B = UUID.fromString("ee882879-721c-4913-9775-3dfcce97072a");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecurityKeyCeremonies ceremonies = ceremonies(UserVerificationPolicy.DISCOURAGED, Set.of());

    // ---- registration (7.1) ---------------------------------------------------------------

    @Test
    void creationOptionsAreTheJsonABrowserNeeds() throws Exception {
        byte[] challenge = ceremonies.newChallenge();
        byte[] userHandle = ceremonies.newUserHandle();
        StoredCredential existing = stored(register(ceremonies, SecurityKeyBrowser.u2f(ORIGIN),
                AttestationConveyance.NONE));
        JsonNode options = JSON.readTree(ceremonies.creationOptionsJson("alice", userHandle, challenge,
                AttestationConveyance.DIRECT, UserVerificationPolicy.PREFERRED, List.of(existing)));

        assertEquals("localhost", options.at("/rp/id").asText());
        assertEquals("Gatekey", options.at("/rp/name").asText());
        assertArrayEquals(userHandle, b64(options.at("/user/id")));
        assertEquals("alice", options.at("/user/name").asText());
        assertArrayEquals(challenge, b64(options.at("/challenge")));
        assertEquals(32, challenge.length, "challenge of 32 random bytes");
        assertEquals(-7, options.at("/pubKeyCredParams/0/alg").asInt(), "ES256 first");
        assertEquals("public-key", options.at("/pubKeyCredParams/0/type").asText());
        assertEquals(300_000, options.at("/timeout").asLong());
        assertArrayEquals(existing.credentialId(), b64(options.at("/excludeCredentials/0/id")),
                "the user's keys are excluded");
        assertEquals("usb", options.at("/excludeCredentials/0/transports/0").asText());
        assertEquals("cross-platform", options.at("/authenticatorSelection/authenticatorAttachment").asText());
        assertEquals("preferred", options.at("/authenticatorSelection/userVerification").asText());
        assertEquals("direct", options.at("/attestation").asText());
        assertFalse(java.util.Arrays.equals(challenge, ceremonies.newChallenge()), "challenges are random");
    }

    @Test
    void registersAPackedKeyWithDirectAttestation() {
        RegisteredCredential key = register(ceremonies, SecurityKeyBrowser.packed(ORIGIN), AttestationConveyance.DIRECT);
        assertEquals("packed", key.attestationFormat());
        assertTrue(key.credentialId().length >= 16);
        assertTrue(key.publicKeyCose().length > 64, "a COSE EC2 key");
        assertEquals(Set.of("usb"), key.transports());
        assertTrue(key.attestationObject().length > key.publicKeyCose().length);
    }

    @Test
    void registersAFidoU2fKeyWithDirectAttestation() {
        RegisteredCredential key = register(ceremonies, SecurityKeyBrowser.u2f(ORIGIN), AttestationConveyance.DIRECT);
        assertEquals("fido-u2f", key.attestationFormat());
        assertEquals(new UUID(0, 0), key.aaguid(), "U2F keys have no AAGUID");
        assertEquals(0, key.signCount());
        assertFalse(key.userVerified());
        assertFalse(key.backupEligible());
    }

    @Test
    void registersTpmAndAndroidKeyAttestations() {
        assertEquals("tpm", register(ceremonies, SecurityKeyBrowser.of(ORIGIN,
                new com.webauthn4j.test.authenticator.webauthn.TPMAuthenticator()), AttestationConveyance.DIRECT)
                .attestationFormat());
        assertEquals("android-key", register(ceremonies, SecurityKeyBrowser.of(ORIGIN,
                new com.webauthn4j.test.authenticator.webauthn.AndroidKeyAuthenticator()), AttestationConveyance.DIRECT)
                .attestationFormat());
    }

    @Test
    void registersAKeyWithNoneAttestation() {
        RegisteredCredential key = register(ceremonies, SecurityKeyBrowser.none(ORIGIN, MODEL_A, true),
                AttestationConveyance.NONE);
        assertEquals("none", key.attestationFormat());
    }

    @Test
    void refusesARegistrationFromAnotherOrigin() {
        SecurityKeyBrowser phishing = SecurityKeyBrowser.packed("https://login.gatekey-example.evil");
        assertRejected(CeremonyFailure.ORIGIN_MISMATCH, () -> register(ceremonies, phishing, AttestationConveyance.NONE));
    }

    @Test
    void refusesARegistrationForAnotherChallenge() {
        byte[] issued = ceremonies.newChallenge();
        String response = SecurityKeyBrowser.packed(ORIGIN).create(ceremonies.creationOptionsJson("alice",
                ceremonies.newUserHandle(), issued, AttestationConveyance.NONE, UserVerificationPolicy.DISCOURAGED,
                List.of()));
        PendingCeremony other = pending(ceremonies.newChallenge(), UserVerificationPolicy.DISCOURAGED);
        assertRejected(CeremonyFailure.CHALLENGE_MISMATCH, () -> ceremonies.verifyRegistration(other, response, NOW));
    }

    @Test
    void refusesARegistrationAfterTheChallengeExpired() {
        byte[] challenge = ceremonies.newChallenge();
        String response = SecurityKeyBrowser.packed(ORIGIN).create(ceremonies.creationOptionsJson("alice",
                ceremonies.newUserHandle(), challenge, AttestationConveyance.NONE, UserVerificationPolicy.DISCOURAGED,
                List.of()));
        PendingCeremony pending = pending(challenge, UserVerificationPolicy.DISCOURAGED);
        assertRejected(CeremonyFailure.CHALLENGE_EXPIRED,
                () -> ceremonies.verifyRegistration(pending, response, pending.expiresAt()));
        assertEquals("none", ceremonies.verifyRegistration(pending, response,
                pending.expiresAt().minusMillis(1)).attestationFormat(),
                "valid until just before expiry (the client replaced the attestation: none was asked for)");
    }

    @Test
    void refusesAKeyModelOutsideTheAaguidAllowList() {
        SecurityKeyCeremonies strict = ceremonies(UserVerificationPolicy.DISCOURAGED, Set.of(MODEL_A));
        assertRejected(CeremonyFailure.AAGUID_NOT_ALLOWED,
                () -> register(strict, SecurityKeyBrowser.none(ORIGIN, MODEL_B, true), AttestationConveyance.DIRECT));
        assertRejected(CeremonyFailure.AAGUID_NOT_ALLOWED,
                () -> register(strict, SecurityKeyBrowser.u2f(ORIGIN), AttestationConveyance.DIRECT));
        assertEquals(MODEL_A, register(strict, SecurityKeyBrowser.none(ORIGIN, MODEL_A, true),
                AttestationConveyance.DIRECT).aaguid());
    }

    @Test
    void withTrustAnchorsOnlyAttestationsChainingToThemRegister() throws Exception {
        SecurityKeyCeremonies trusting = new SecurityKeyCeremonies(new RelyingParty("localhost", "Gatekey",
                Set.of(ORIGIN), UserVerificationPolicy.DISCOURAGED, AttestationConveyance.NONE, Set.of(),
                Duration.ofMinutes(5), Set.of(TestAttestationUtil.load3tierTestRootCACertificate())),
                new SecureRandom());
        assertEquals("packed", register(trusting, SecurityKeyBrowser.packed(ORIGIN), AttestationConveyance.NONE)
                .attestationFormat(), "asked for direct attestation even when none was requested");
        assertEquals("direct", JSON.readTree(trusting.creationOptionsJson("alice", trusting.newUserHandle(),
                trusting.newChallenge(), AttestationConveyance.NONE, UserVerificationPolicy.DISCOURAGED, List.of()))
                .at("/attestation").asText());
        assertRejected(CeremonyFailure.ATTESTATION_NOT_TRUSTED,
                () -> register(trusting, SecurityKeyBrowser.none(ORIGIN, MODEL_A, true), AttestationConveyance.DIRECT));

        SecurityKeyCeremonies otherRoot = new SecurityKeyCeremonies(new RelyingParty("localhost", "Gatekey",
                Set.of(ORIGIN), UserVerificationPolicy.DISCOURAGED, AttestationConveyance.DIRECT, Set.of(),
                Duration.ofMinutes(5), Set.of(TestAttestationUtil.loadYubikeyFIDO2AttestationCertificate())),
                new SecureRandom());
        assertRejected(CeremonyFailure.ATTESTATION_NOT_TRUSTED,
                () -> register(otherRoot, SecurityKeyBrowser.packed(ORIGIN), AttestationConveyance.DIRECT));
    }

    @Test
    void requiredUserVerificationRefusesAKeyThatCannotVerify() {
        SecurityKeyCeremonies strict = ceremonies(UserVerificationPolicy.REQUIRED, Set.of());
        assertRejected(CeremonyFailure.USER_NOT_VERIFIED,
                () -> register(strict, SecurityKeyBrowser.u2f(ORIGIN), AttestationConveyance.NONE));
        RegisteredCredential verified = register(strict, SecurityKeyBrowser.none(ORIGIN, MODEL_A, true),
                AttestationConveyance.NONE);
        assertTrue(verified.userVerified(), "UV flag recorded as uvInitialized");
    }

    @Test
    void malformedRegistrationJsonIsAValidationError() {
        PendingCeremony pending = pending(ceremonies.newChallenge(), UserVerificationPolicy.DISCOURAGED);
        for (String bad : new String[] {"", "not json", "{}", "{\"id\":\"AA\",\"response\":{}}"}) {
            GatekeyException e = assertThrows(GatekeyException.class,
                    () -> ceremonies.verifyRegistration(pending, bad, NOW), bad);
            assertEquals("ValidationError", e.code(), bad + " -> " + e.getMessage());
        }
    }

    // ---- authentication (7.2) -------------------------------------------------------------

    @Test
    void aPackedKeyAuthenticatesAndItsCounterAdvances() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        StoredCredential key = stored(register(ceremonies, browser, AttestationConveyance.DIRECT));
        VerifiedAssertion first = authenticate(ceremonies, browser, List.of(key));
        assertArrayEquals(key.credentialId(), first.credentialId());
        assertTrue(first.signCount() > key.signCount());
        VerifiedAssertion second = authenticate(ceremonies, browser, List.of(withCount(key, first.signCount())));
        assertTrue(second.signCount() > first.signCount());
    }

    @Test
    void aFidoU2fKeyAuthenticates() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.u2f(ORIGIN);
        StoredCredential key = stored(register(ceremonies, browser, AttestationConveyance.DIRECT));
        assertEquals(1, authenticate(ceremonies, browser, List.of(key)).signCount());
    }

    @Test
    void requestOptionsAllowExactlyTheUsersKeys() throws Exception {
        StoredCredential a = stored(register(ceremonies, SecurityKeyBrowser.packed(ORIGIN), AttestationConveyance.NONE));
        StoredCredential b = stored(register(ceremonies, SecurityKeyBrowser.u2f(ORIGIN), AttestationConveyance.NONE));
        byte[] challenge = ceremonies.newChallenge();
        JsonNode options = JSON.readTree(ceremonies.requestOptionsJson(challenge, UserVerificationPolicy.REQUIRED,
                List.of(a, b)));
        assertArrayEquals(challenge, b64(options.at("/challenge")));
        assertEquals("localhost", options.at("/rpId").asText());
        assertEquals("required", options.at("/userVerification").asText());
        assertEquals(2, options.at("/allowCredentials").size());
        assertArrayEquals(a.credentialId(), b64(options.at("/allowCredentials/0/id")));
        assertArrayEquals(b.credentialId(), b64(options.at("/allowCredentials/1/id")));
    }

    @Test
    void anAssertionFromAnotherOriginIsRefused() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        StoredCredential key = stored(register(ceremonies, browser, AttestationConveyance.NONE));
        browser.at("https://localhost:9443");
        assertRejected(CeremonyFailure.ORIGIN_MISMATCH, () -> authenticate(ceremonies, browser, List.of(key)));
    }

    @Test
    void aRegistrationForAnotherRelyingPartyIdIsRefused() throws Exception {
        byte[] challenge = ceremonies.newChallenge();
        ObjectNode options = (ObjectNode) JSON.readTree(ceremonies.creationOptionsJson("alice",
                ceremonies.newUserHandle(), challenge, AttestationConveyance.DIRECT, UserVerificationPolicy.DISCOURAGED,
                List.of()));
        ((ObjectNode) options.get("rp")).put("id", "gatekey.example");
        String response = SecurityKeyBrowser.packed(ORIGIN).create(options.toString());
        assertRejected(CeremonyFailure.RP_ID_MISMATCH, () -> ceremonies.verifyRegistration(
                pending(challenge, UserVerificationPolicy.DISCOURAGED), response, NOW));
    }

    @Test
    void anAssertionForAnotherRelyingPartyIdIsRefused() {
        SecurityKeyCeremonies otherSite = new SecurityKeyCeremonies(relyingParty("gatekey.example", Set.of(ORIGIN),
                UserVerificationPolicy.DISCOURAGED, Set.of()), new SecureRandom());
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        StoredCredential key = stored(register(otherSite, browser, AttestationConveyance.NONE));
        byte[] challenge = otherSite.newChallenge();
        String response = browser.get(otherSite.requestOptionsJson(challenge, UserVerificationPolicy.DISCOURAGED,
                List.of(key)));
        assertRejected(CeremonyFailure.RP_ID_MISMATCH, () -> ceremonies.verifyAssertion(
                pending(challenge, UserVerificationPolicy.DISCOURAGED), response, List.of(key), NOW));
    }

    @Test
    void anAssertionForAnExpiredOrOtherChallengeIsRefused() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        StoredCredential key = stored(register(ceremonies, browser, AttestationConveyance.NONE));
        byte[] challenge = ceremonies.newChallenge();
        String response = browser.get(ceremonies.requestOptionsJson(challenge, UserVerificationPolicy.DISCOURAGED,
                List.of(key)));
        PendingCeremony pending = pending(challenge, UserVerificationPolicy.DISCOURAGED);
        assertRejected(CeremonyFailure.CHALLENGE_EXPIRED,
                () -> ceremonies.verifyAssertion(pending, response, List.of(key), pending.expiresAt().plusSeconds(1)));
        assertRejected(CeremonyFailure.CHALLENGE_MISMATCH, () -> ceremonies.verifyAssertion(
                pending(ceremonies.newChallenge(), UserVerificationPolicy.DISCOURAGED), response, List.of(key), NOW));
    }

    @Test
    void aClonedKeyWhoseCounterDoesNotIncreaseIsRefused() {
        for (SecurityKeyBrowser browser : List.of(SecurityKeyBrowser.packed(ORIGIN), SecurityKeyBrowser.u2f(ORIGIN))) {
            StoredCredential key = stored(register(ceremonies, browser, AttestationConveyance.DIRECT));
            VerifiedAssertion genuine = authenticate(ceremonies, browser, List.of(key));
            StoredCredential updated = withCount(key, genuine.signCount());
            browser.countUp(false);
            SecurityKeyRejectedException e = assertRejected(CeremonyFailure.COUNTER_NOT_INCREASED,
                    () -> authenticate(ceremonies, browser, List.of(updated)));
            assertArrayEquals(key.credentialId(), e.credentialId().orElseThrow(), "names the key to flag");
        }
    }

    @Test
    void aKeyFlaggedAsPossiblyClonedIsRefusedEvenWithAValidAssertion() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        RegisteredCredential registered = register(ceremonies, browser, AttestationConveyance.NONE);
        StoredCredential flagged = new StoredCredential(registered.credentialId(), registered.publicKeyCose(),
                registered.aaguid(), registered.signCount(), registered.transports(), registered.backupEligible(),
                registered.backupState(), registered.userVerified(), registered.attestationFormat(), true);
        assertRejected(CeremonyFailure.DEVICE_FLAGGED_AS_CLONED,
                () -> authenticate(ceremonies, browser, List.of(flagged)));
    }

    @Test
    void aCredentialThatIsNotTheUsersIsRefused() {
        StoredCredential alices = stored(register(ceremonies, SecurityKeyBrowser.packed(ORIGIN),
                AttestationConveyance.NONE));
        SecurityKeyBrowser bobsBrowser = SecurityKeyBrowser.packed(ORIGIN);
        StoredCredential bobs = stored(register(ceremonies, bobsBrowser, AttestationConveyance.NONE));
        byte[] challenge = ceremonies.newChallenge();
        String bobsAssertion = bobsBrowser.get(ceremonies.requestOptionsJson(challenge,
                UserVerificationPolicy.DISCOURAGED, List.of(bobs)));
        assertRejected(CeremonyFailure.UNKNOWN_CREDENTIAL, () -> ceremonies.verifyAssertion(
                pending(challenge, UserVerificationPolicy.DISCOURAGED), bobsAssertion, List.of(alices), NOW));
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        StoredCredential key = stored(register(ceremonies, browser, AttestationConveyance.NONE));
        byte[] challenge = ceremonies.newChallenge();
        ObjectNode response = (ObjectNode) JSON.readTree(browser.get(ceremonies.requestOptionsJson(challenge,
                UserVerificationPolicy.DISCOURAGED, List.of(key))));
        byte[] signature = b64(response.at("/response/signature"));
        signature[signature.length - 1] ^= 0x01;
        ((ObjectNode) response.get("response")).put("signature",
                Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
        assertRejected(CeremonyFailure.SIGNATURE_INVALID, () -> ceremonies.verifyAssertion(
                pending(challenge, UserVerificationPolicy.DISCOURAGED), response.toString(), List.of(key), NOW));
    }

    @Test
    void requiredUserVerificationRefusesAnAssertionWithoutIt() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.u2f(ORIGIN);
        StoredCredential key = stored(register(ceremonies, browser, AttestationConveyance.NONE));
        SecurityKeyCeremonies strict = ceremonies(UserVerificationPolicy.REQUIRED, Set.of());
        assertRejected(CeremonyFailure.USER_NOT_VERIFIED, () -> authenticate(strict, browser, List.of(key)));
    }

    @Test
    void theRelyingPartyConfigurationIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> relyingParty("https://localhost", Set.of(ORIGIN),
                UserVerificationPolicy.PREFERRED, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> relyingParty("localhost", Set.of("localhost:8443"),
                UserVerificationPolicy.PREFERRED, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> relyingParty("localhost", Set.of("https://localhost/x"),
                UserVerificationPolicy.PREFERRED, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> UserVerificationPolicy.parse("sometimes"));
        assertEquals(UserVerificationPolicy.REQUIRED, UserVerificationPolicy.parse(" Required "));
        assertEquals(AttestationConveyance.DIRECT, AttestationConveyance.parse("direct"));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static SecurityKeyCeremonies ceremonies(UserVerificationPolicy uv, Set<UUID> allowList) {
        return new SecurityKeyCeremonies(relyingParty("localhost", Set.of(ORIGIN, "http://localhost:8081"), uv,
                allowList), new SecureRandom());
    }

    private static RelyingParty relyingParty(String rpId, Set<String> origins, UserVerificationPolicy uv,
            Set<UUID> allowList) {
        return new RelyingParty(rpId, "Gatekey", origins, uv, AttestationConveyance.NONE, allowList,
                Duration.ofMinutes(5), Set.of());
    }

    private static PendingCeremony pending(byte[] challenge, UserVerificationPolicy uv) {
        return new PendingCeremony(challenge, uv, NOW.plus(Duration.ofMinutes(5)));
    }

    private static RegisteredCredential register(SecurityKeyCeremonies c, SecurityKeyBrowser browser,
            AttestationConveyance attestation) {
        UserVerificationPolicy uv = c.relyingParty().userVerification();
        byte[] challenge = c.newChallenge();
        String response = browser.create(c.creationOptionsJson("alice", c.newUserHandle(), challenge, attestation,
                uv, List.of()));
        return c.verifyRegistration(pending(challenge, uv), response, NOW);
    }

    private static VerifiedAssertion authenticate(SecurityKeyCeremonies c, SecurityKeyBrowser browser,
            List<StoredCredential> keys) {
        UserVerificationPolicy uv = c.relyingParty().userVerification();
        byte[] challenge = c.newChallenge();
        String response = browser.get(c.requestOptionsJson(challenge, uv, keys));
        return c.verifyAssertion(pending(challenge, uv), response, keys, NOW);
    }

    private static StoredCredential stored(RegisteredCredential r) {
        return new StoredCredential(r.credentialId(), r.publicKeyCose(), r.aaguid(), r.signCount(), r.transports(),
                r.backupEligible(), r.backupState(), r.userVerified(), r.attestationFormat(), false);
    }

    private static StoredCredential withCount(StoredCredential c, long signCount) {
        return new StoredCredential(c.credentialId(), c.publicKeyCose(), c.aaguid(), signCount, c.transports(),
                c.backupEligible(), c.backupState(), c.uvInitialized(), c.attestationFormat(), c.possiblyCloned());
    }

    private static byte[] b64(JsonNode node) {
        return Base64.getUrlDecoder().decode(node.asText());
    }

    private static SecurityKeyRejectedException assertRejected(CeremonyFailure failure, Executable call) {
        SecurityKeyRejectedException e = assertThrows(SecurityKeyRejectedException.class, call);
        assertEquals(failure, e.failure(), e.getMessage());
        assertEquals("InvalidAuthenticationCode", e.code());
        assertEquals(failure.name(), e.metadata().get("failure"));
        return e;
    }
}
