package dev.gatekey.mfa.securitykey.domain;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.anchor.TrustAnchorRepository;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.androidkey.AndroidKeyAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.androidsafetynet.AndroidSafetyNetAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.apple.AppleAnonymousAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.tpm.TPMAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.u2f.FIDOU2FAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.CertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.DefaultCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.NullCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import com.webauthn4j.verifier.exception.BadAaguidException;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadAttestationStatementException;
import com.webauthn4j.verifier.exception.BadBackupEligibleFlagException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CertificateException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.IllegalBackupStateException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.MissingChallengeException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.NotAllowedCredentialIdException;
import com.webauthn4j.verifier.exception.PublicKeyMismatchException;
import com.webauthn4j.verifier.exception.SelfAttestationProhibitedException;
import com.webauthn4j.verifier.exception.TrustAnchorNotFoundException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.gatekey.platform.error.GatekeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The two WebAuthn ceremonies for FIDO2 security keys (WebAuthn Level 3 sections 7.1 and 7.2),
 * stateless: the caller stores challenges and credential records and passes them in.
 * webauthn4j does the specification's verification steps; this class adds the relying party's
 * policy (allowed origins, user verification, AAGUID allow-list, the user's own credentials)
 * and turns each failed step into a {@link SecurityKeyRejectedException} naming it.
 *
 * <p>Attestation statements of every format webauthn4j knows are verified cryptographically.
 * Their certificate chains are checked only against the configured trust anchors (there is no
 * FIDO metadata service here): without anchors an AAGUID allow-list keeps honest keys of other
 * models out, not forged attestations; with anchors it binds.
 */
public final class SecurityKeyCeremonies {
    /** Challenge length: WebAuthn L3 13.4.3 asks for at least 16 random bytes. */
    public static final int CHALLENGE_BYTES = 32;
    /** User handle length (WebAuthn L3 5.4.3: at most 64 bytes, no personal data). */
    public static final int USER_HANDLE_BYTES = 32;
    /** The key types offered, in order of preference: ES256, EdDSA, RS256. */
    static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(
            COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);
    private static final List<PublicKeyCredentialParameters> PUB_KEY_CRED_PARAMS = ALGORITHMS.stream()
            .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, alg))
            .toList();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final RelyingParty relyingParty;
    private final SecureRandom random;
    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager webAuthn;
    private final Set<Origin> origins;

    public SecurityKeyCeremonies(RelyingParty relyingParty, SecureRandom random) {
        this.relyingParty = relyingParty;
        this.random = random;
        this.origins = relyingParty.origins().stream().map(Origin::new).collect(Collectors.toUnmodifiableSet());
        this.webAuthn = new WebAuthnManager(
                List.of(new NoneAttestationStatementVerifier(), new PackedAttestationStatementVerifier(),
                        new FIDOU2FAttestationStatementVerifier(), new TPMAttestationStatementVerifier(),
                        new AndroidKeyAttestationStatementVerifier(),
                        new AndroidSafetyNetAttestationStatementVerifier(),
                        new AppleAnonymousAttestationStatementVerifier()),
                certPathVerifier(relyingParty.attestationTrustAnchors()),
                new DefaultSelfAttestationTrustworthinessVerifier(!relyingParty.requiresTrustedAttestation()),
                converter);
    }

    /**
     * Without trust anchors, any well-formed certificate chain is accepted (its signature over
     * the credential is still verified); with them, the chain must lead to one (WebAuthn L3 7.1
     * step 23), revocation unchecked: keys' attestation roots publish no reachable CRLs here.
     */
    private static CertPathTrustworthinessVerifier certPathVerifier(Set<X509Certificate> anchors) {
        if (anchors.isEmpty()) {
            return new NullCertPathTrustworthinessVerifier();
        }
        Set<TrustAnchor> trustAnchors = anchors.stream().map(c -> new TrustAnchor(c, null))
                .collect(Collectors.toUnmodifiableSet());
        DefaultCertPathTrustworthinessVerifier verifier = new DefaultCertPathTrustworthinessVerifier(
                new TrustAnchorRepository() {
                    @Override
                    public Set<TrustAnchor> find(AAGUID aaguid) {
                        return trustAnchors;
                    }

                    @Override
                    public Set<TrustAnchor> find(byte[] attestationCertificateKeyIdentifier) {
                        return trustAnchors;
                    }
                });
        verifier.setRevocationCheckEnabled(false);
        return verifier;
    }

    public RelyingParty relyingParty() {
        return relyingParty;
    }

    /** A fresh random challenge. */
    public byte[] newChallenge() {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        random.nextBytes(challenge);
        return challenge;
    }

    /** A fresh random user handle, for a user's first key. */
    public byte[] newUserHandle() {
        byte[] handle = new byte[USER_HANDLE_BYTES];
        random.nextBytes(handle);
        return handle;
    }

    /**
     * {@code PublicKeyCredentialCreationOptionsJSON} (WebAuthn L3 5.1.8) for a roaming security
     * key: the user's registered keys are excluded (5.4.3 excludeCredentials) so one key is not
     * registered twice.
     */
    public String creationOptionsJson(String userName, byte[] userHandle, byte[] challenge,
            AttestationConveyance attestation, UserVerificationPolicy userVerification,
            List<StoredCredential> existing) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("rp", Map.of("id", relyingParty.rpId(), "name", relyingParty.rpName()));
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", BASE64URL.encodeToString(userHandle));
        user.put("name", userName);
        user.put("displayName", userName);
        options.put("user", user);
        options.put("challenge", BASE64URL.encodeToString(challenge));
        options.put("pubKeyCredParams", ALGORITHMS.stream()
                .map(alg -> Map.of("type", "public-key", "alg", alg.getValue())).toList());
        options.put("timeout", relyingParty.challengeTtl().toMillis());
        options.put("excludeCredentials", descriptors(existing));
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("authenticatorAttachment", "cross-platform");
        selection.put("residentKey", "discouraged");
        selection.put("requireResidentKey", false);
        selection.put("userVerification", userVerification.webAuthnValue());
        options.put("authenticatorSelection", selection);
        options.put("hints", List.of("security-key"));
        // a trusted attestation is only sent when asked for
        options.put("attestation", relyingParty.requiresTrustedAttestation()
                ? AttestationConveyance.DIRECT.webAuthnValue() : attestation.webAuthnValue());
        return converter.getJsonConverter().writeValueAsString(options);
    }

    /**
     * The registration ceremony (WebAuthn L3 7.1) for {@code RegistrationResponseJSON}, then
     * the AAGUID allow-list. Returns the credential record to store.
     */
    public RegisteredCredential verifyRegistration(PendingCeremony pending, String registrationResponseJson,
            Instant now) {
        pending.requireUnexpired(now);
        String json = requireJson(registrationResponseJson, "registrationResponseJson");
        RegistrationData data;
        try {
            data = webAuthn.parseRegistrationResponseJSON(json);
        } catch (RuntimeException e) {
            // DataConversionException, Jackson's parse errors, missing members
            throw malformed("registrationResponseJson", e);
        }
        RegistrationParameters parameters = new RegistrationParameters(serverProperty(pending.challenge()),
                PUB_KEY_CRED_PARAMS, pending.userVerification().required(), true);
        try {
            webAuthn.verify(data, parameters);
        } catch (VerificationException e) {
            throw new SecurityKeyRejectedException(failureOf(e), null, e);
        } catch (DataConversionException | IllegalArgumentException | NullPointerException e) {
            throw malformed("registrationResponseJson", e);
        }
        AuthenticatorData<?> authenticatorData = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticatorData.getAttestedCredentialData();
        if (relyingParty.requiresTrustedAttestation()
                && NoneAttestationStatement.FORMAT.equals(data.getAttestationObject().getFormat())) {
            throw new SecurityKeyRejectedException(CeremonyFailure.ATTESTATION_NOT_TRUSTED);
        }
        UUID aaguid = credential.getAaguid().getValue();
        if (!relyingParty.aaguidAllowList().isEmpty() && !relyingParty.aaguidAllowList().contains(aaguid)) {
            throw new SecurityKeyRejectedException(CeremonyFailure.AAGUID_NOT_ALLOWED);
        }
        Set<String> transports = data.getTransports() == null ? Set.of()
                : data.getTransports().stream().map(AuthenticatorTransport::getValue)
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        return new RegisteredCredential(
                credential.getCredentialId(),
                converter.getCborConverter().writeValueAsBytes(credential.getCOSEKey()),
                aaguid,
                authenticatorData.getSignCount(),
                transports,
                authenticatorData.isFlagBE(),
                authenticatorData.isFlagBS(),
                authenticatorData.isFlagUV(),
                data.getAttestationObject().getFormat(),
                data.getAttestationObjectBytes());
    }

    /**
     * {@code PublicKeyCredentialRequestOptionsJSON} (WebAuthn L3 5.1.8) allowing exactly the
     * user's keys.
     */
    public String requestOptionsJson(byte[] challenge, UserVerificationPolicy userVerification,
            List<StoredCredential> allowed) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("challenge", BASE64URL.encodeToString(challenge));
        options.put("timeout", relyingParty.challengeTtl().toMillis());
        options.put("rpId", relyingParty.rpId());
        options.put("allowCredentials", descriptors(allowed));
        options.put("userVerification", userVerification.webAuthnValue());
        options.put("hints", List.of("security-key"));
        return converter.getJsonConverter().writeValueAsString(options);
    }

    /**
     * An {@code AuthenticationResponseJSON} parsed but not yet verified: it names the credential
     * that answered, so the caller can refuse a locked key before anything is verified.
     */
    public static final class AssertionResponse {
        private final AuthenticationData data;

        private AssertionResponse(AuthenticationData data) {
            this.data = data;
        }

        /** The credential id the response claims (unverified). */
        public byte[] credentialId() {
            return data.getCredentialId().clone();
        }
    }

    /** Parses {@code AuthenticationResponseJSON}; a malformed one is a ValidationError. */
    public AssertionResponse parseAssertion(String authenticationResponseJson) {
        String json = requireJson(authenticationResponseJson, "authenticationResponseJson");
        AuthenticationData data;
        try {
            data = webAuthn.parseAuthenticationResponseJSON(json);
        } catch (RuntimeException e) {
            // DataConversionException, Jackson's parse errors, missing members
            throw malformed("authenticationResponseJson", e);
        }
        if (data.getCredentialId() == null || data.getCredentialId().length == 0) {
            throw GatekeyException.invalidInput("authenticationResponseJson has no credential id.");
        }
        return new AssertionResponse(data);
    }

    /** {@link #verifyAssertion(PendingCeremony, AssertionResponse, List, Instant)} of unparsed JSON. */
    public VerifiedAssertion verifyAssertion(PendingCeremony pending, String authenticationResponseJson,
            List<StoredCredential> usersCredentials, Instant now) {
        pending.requireUnexpired(now);
        return verifyAssertion(pending, parseAssertion(authenticationResponseJson), usersCredentials, now);
    }

    /**
     * The authentication ceremony (WebAuthn L3 7.2) for a parsed {@code AuthenticationResponseJSON}
     * against the user's credential records. A counter that did not increase fails with
     * {@link CeremonyFailure#COUNTER_NOT_INCREASED} only after the signature verified, so a
     * forged assertion cannot get a genuine key flagged.
     */
    public VerifiedAssertion verifyAssertion(PendingCeremony pending, AssertionResponse response,
            List<StoredCredential> usersCredentials, Instant now) {
        pending.requireUnexpired(now);
        AuthenticationData data = response.data;
        byte[] credentialId = data.getCredentialId();
        StoredCredential stored = usersCredentials.stream()
                .filter(c -> MessageDigest.isEqual(c.credentialId(), credentialId))
                .findFirst()
                .orElseThrow(() -> new SecurityKeyRejectedException(CeremonyFailure.UNKNOWN_CREDENTIAL,
                        credentialId, null));
        if (stored.possiblyCloned()) {
            throw new SecurityKeyRejectedException(CeremonyFailure.DEVICE_FLAGGED_AS_CLONED, credentialId, null);
        }
        COSEKey publicKey = converter.getCborConverter().readValue(stored.publicKeyCose(), COSEKey.class);
        CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(),
                stored.uvInitialized(), stored.backupEligible(), stored.backupState(), stored.signCount(),
                new AttestedCredentialData(new AAGUID(stored.aaguid()), credentialId, publicKey),
                null, null, null, null);
        List<byte[]> allowCredentials = new ArrayList<>();
        usersCredentials.forEach(c -> allowCredentials.add(c.credentialId()));
        AuthenticationParameters parameters = new AuthenticationParameters(serverProperty(pending.challenge()),
                record, allowCredentials, pending.userVerification().required(), true);
        try {
            webAuthn.verify(data, parameters);
        } catch (VerificationException e) {
            throw new SecurityKeyRejectedException(failureOf(e), credentialId, e);
        } catch (DataConversionException | IllegalArgumentException | NullPointerException e) {
            throw malformed("authenticationResponseJson", e);
        }
        AuthenticatorData<?> authenticatorData = data.getAuthenticatorData();
        return new VerifiedAssertion(credentialId, authenticatorData.getSignCount(), authenticatorData.isFlagBS(),
                authenticatorData.isFlagUV());
    }

    private ServerProperty serverProperty(byte[] challenge) {
        return new ServerProperty(origins, relyingParty.rpId(), new DefaultChallenge(challenge));
    }

    private static List<Map<String, Object>> descriptors(List<StoredCredential> credentials) {
        return credentials.stream().map(c -> {
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("type", "public-key");
            descriptor.put("id", BASE64URL.encodeToString(c.credentialId()));
            if (!c.transports().isEmpty()) {
                descriptor.put("transports", c.transports().stream().sorted().toList());
            }
            return descriptor;
        }).toList();
    }

    private static String requireJson(String json, String parameter) {
        if (json == null || json.isBlank()) {
            throw GatekeyException.invalidInput(parameter + " is required: the PublicKeyCredential as WebAuthn JSON.");
        }
        return json;
    }

    private static GatekeyException malformed(String parameter, RuntimeException cause) {
        GatekeyException e = GatekeyException.invalidInput(parameter
                + " is not a WebAuthn PublicKeyCredential in JSON with base64url members.");
        e.initCause(cause);
        return e;
    }

    /** The failed specification step, from webauthn4j's exception type. */
    static CeremonyFailure failureOf(VerificationException e) {
        if (e instanceof BadChallengeException || e instanceof MissingChallengeException) {
            return CeremonyFailure.CHALLENGE_MISMATCH;
        }
        if (e instanceof BadOriginException || e instanceof CrossOriginException
                || e instanceof BadTopOriginException) {
            return CeremonyFailure.ORIGIN_MISMATCH;
        }
        if (e instanceof InconsistentClientDataTypeException) {
            return CeremonyFailure.CLIENT_DATA_TYPE_MISMATCH;
        }
        if (e instanceof BadRpIdException) {
            return CeremonyFailure.RP_ID_MISMATCH;
        }
        if (e instanceof UserNotPresentException) {
            return CeremonyFailure.USER_NOT_PRESENT;
        }
        if (e instanceof UserNotVerifiedException) {
            return CeremonyFailure.USER_NOT_VERIFIED;
        }
        if (e instanceof NotAllowedAlgorithmException || e instanceof BadAlgorithmException) {
            return CeremonyFailure.ALGORITHM_NOT_ALLOWED;
        }
        if (e instanceof CertificateException || e instanceof TrustAnchorNotFoundException
                || e instanceof SelfAttestationProhibitedException) {
            return CeremonyFailure.ATTESTATION_NOT_TRUSTED;
        }
        if (e instanceof BadAttestationStatementException || e instanceof PublicKeyMismatchException
                || e instanceof BadAaguidException) {
            return CeremonyFailure.ATTESTATION_INVALID;
        }
        if (e instanceof BadSignatureException) {
            return CeremonyFailure.SIGNATURE_INVALID;
        }
        if (e instanceof MaliciousCounterValueException) {
            return CeremonyFailure.COUNTER_NOT_INCREASED;
        }
        if (e instanceof BadBackupEligibleFlagException || e instanceof IllegalBackupStateException) {
            return CeremonyFailure.BACKUP_FLAGS_INVALID;
        }
        if (e instanceof NotAllowedCredentialIdException) {
            return CeremonyFailure.UNKNOWN_CREDENTIAL;
        }
        return CeremonyFailure.VERIFICATION_FAILED;
    }
}
