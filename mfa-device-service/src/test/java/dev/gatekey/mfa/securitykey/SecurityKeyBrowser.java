package dev.gatekey.mfa.securitykey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AttestationConveyancePreference;
import com.webauthn4j.data.AuthenticatorAssertionResponse;
import com.webauthn4j.data.AuthenticatorAttachment;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.AuthenticatorSelectionCriteria;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialDescriptor;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.PublicKeyCredentialRpEntity;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.PublicKeyCredentialUserEntity;
import com.webauthn4j.data.ResidentKeyRequirement;
import com.webauthn4j.data.UserVerificationRequirement;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.test.authenticator.AuthenticatorAdaptor;
import com.webauthn4j.test.authenticator.u2f.FIDOU2FAuthenticatorAdaptor;
import com.webauthn4j.test.authenticator.webauthn.NoneAttestationAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.PackedAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnModelAuthenticator;
import com.webauthn4j.test.client.ClientPlatform;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A browser with one security key plugged in, built from webauthn4j-test's client platform and
 * authenticator emulators: it takes the options JSON a server sends, decodes it as a browser
 * does, runs {@code navigator.credentials.create()} / {@code get()} on the emulator (real keys,
 * real signatures, real attestation) and returns {@code PublicKeyCredential.toJSON()}.
 */
public final class SecurityKeyBrowser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private final ClientPlatform platform;
    private final WebAuthnModelAuthenticator webAuthnKey;
    private final SecurityKeyU2fToken u2fKey;

    private SecurityKeyBrowser(String origin, AuthenticatorAdaptor adaptor, WebAuthnModelAuthenticator webAuthnKey,
            SecurityKeyU2fToken u2fKey) {
        this.platform = new ClientPlatform(new Origin(origin), adaptor);
        this.webAuthnKey = webAuthnKey;
        this.u2fKey = u2fKey;
    }

    /** A FIDO2 key with a {@code packed} attestation statement (x5c, ES256). */
    public static SecurityKeyBrowser packed(String origin) {
        PackedAuthenticator key = new PackedAuthenticator();
        return new SecurityKeyBrowser(origin, new WebAuthnAuthenticatorAdaptor(key), key, null);
    }

    /** Any of webauthn4j-test's WebAuthn authenticator emulators (TPM, Android key, ...). */
    public static SecurityKeyBrowser of(String origin, WebAuthnModelAuthenticator key) {
        return new SecurityKeyBrowser(origin, new WebAuthnAuthenticatorAdaptor(key), key, null);
    }

    /** A FIDO2 key of model {@code aaguid} that sends a {@code none} attestation statement. */
    public static SecurityKeyBrowser none(String origin, UUID aaguid, boolean capableOfUserVerification) {
        NoneAttestationAuthenticator key = new NoneAttestationAuthenticator(new AAGUID(aaguid), 0,
                capableOfUserVerification, new ObjectConverter());
        return new SecurityKeyBrowser(origin, new WebAuthnAuthenticatorAdaptor(key), key, null);
    }

    /** A FIDO U2F key (CTAP1): {@code fido-u2f} attestation, no user verification. */
    public static SecurityKeyBrowser u2f(String origin) {
        SecurityKeyU2fToken key = new SecurityKeyU2fToken();
        return new SecurityKeyBrowser(origin, new FIDOU2FAuthenticatorAdaptor(key), null, key);
    }

    /** The page's origin from now on (a phishing site has another). */
    public SecurityKeyBrowser at(String origin) {
        platform.setOrigin(new Origin(origin));
        return this;
    }

    /** Whether the key increases its signature counter (a clone replays an old one). */
    public void countUp(boolean enabled) {
        if (webAuthnKey != null) {
            webAuthnKey.setCountUpEnabled(enabled);
        } else {
            u2fKey.setCountUpEnabled(enabled);
        }
    }

    /** {@code navigator.credentials.create({publicKey})}; returns RegistrationResponseJSON. */
    public String create(String creationOptionsJson) {
        JsonNode o = read(creationOptionsJson);
        List<PublicKeyCredentialParameters> params = new ArrayList<>();
        o.get("pubKeyCredParams").forEach(p -> params.add(new PublicKeyCredentialParameters(
                PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.create(p.get("alg").asLong()))));
        JsonNode selection = o.get("authenticatorSelection");
        PublicKeyCredentialCreationOptions options = new PublicKeyCredentialCreationOptions(
                new PublicKeyCredentialRpEntity(o.get("rp").get("id").asText(), o.get("rp").get("name").asText()),
                new PublicKeyCredentialUserEntity(bytes(o.get("user").get("id")), o.get("user").get("name").asText(),
                        o.get("user").get("displayName").asText()),
                new DefaultChallenge(bytes(o.get("challenge"))),
                params,
                o.get("timeout").asLong(),
                descriptors(o.get("excludeCredentials")),
                new AuthenticatorSelectionCriteria(
                        AuthenticatorAttachment.create(selection.get("authenticatorAttachment").asText()),
                        selection.get("requireResidentKey").asBoolean(),
                        ResidentKeyRequirement.create(selection.get("residentKey").asText()),
                        UserVerificationRequirement.create(selection.get("userVerification").asText())),
                AttestationConveyancePreference.create(o.get("attestation").asText()),
                null);
        PublicKeyCredential<AuthenticatorAttestationResponse, ?> credential = platform.create(options);
        ObjectNode response = JSON.createObjectNode()
                .put("clientDataJSON", B64URL.encodeToString(credential.getResponse().getClientDataJSON()))
                .put("attestationObject", B64URL.encodeToString(credential.getResponse().getAttestationObject()));
        var transports = response.putArray("transports");
        Set<AuthenticatorTransport> reported = credential.getResponse().getTransports();
        if (reported == null || reported.isEmpty()) {
            transports.add("usb");
        } else {
            reported.forEach(t -> transports.add(t.getValue()));
        }
        return toJson(credential.getRawId(), response);
    }

    /** {@code navigator.credentials.get({publicKey})}; returns AuthenticationResponseJSON. */
    public String get(String requestOptionsJson) {
        JsonNode o = read(requestOptionsJson);
        PublicKeyCredentialRequestOptions options = new PublicKeyCredentialRequestOptions(
                new DefaultChallenge(bytes(o.get("challenge"))),
                o.get("timeout").asLong(),
                o.get("rpId").asText(),
                descriptors(o.get("allowCredentials")),
                UserVerificationRequirement.create(o.get("userVerification").asText()),
                null);
        PublicKeyCredential<AuthenticatorAssertionResponse, ?> credential = platform.get(options);
        ObjectNode response = JSON.createObjectNode()
                .put("clientDataJSON", B64URL.encodeToString(credential.getResponse().getClientDataJSON()))
                .put("authenticatorData", B64URL.encodeToString(credential.getResponse().getAuthenticatorData()))
                .put("signature", B64URL.encodeToString(credential.getResponse().getSignature()));
        if (credential.getResponse().getUserHandle() != null) {
            response.put("userHandle", B64URL.encodeToString(credential.getResponse().getUserHandle()));
        }
        return toJson(credential.getRawId(), response);
    }

    private static String toJson(byte[] rawId, ObjectNode response) {
        ObjectNode credential = JSON.createObjectNode()
                .put("id", B64URL.encodeToString(rawId))
                .put("rawId", B64URL.encodeToString(rawId))
                .put("type", "public-key")
                .put("authenticatorAttachment", "cross-platform");
        credential.set("response", response);
        credential.putObject("clientExtensionResults");
        return credential.toString();
    }

    private static List<PublicKeyCredentialDescriptor> descriptors(JsonNode array) {
        List<PublicKeyCredentialDescriptor> descriptors = new ArrayList<>();
        if (array != null) {
            array.forEach(d -> {
                Set<AuthenticatorTransport> transports = new LinkedHashSet<>();
                if (d.has("transports")) {
                    d.get("transports").forEach(t -> transports.add(AuthenticatorTransport.create(t.asText())));
                }
                descriptors.add(new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PUBLIC_KEY, bytes(d.get("id")),
                        transports));
            });
        }
        return descriptors;
    }

    private static byte[] bytes(JsonNode base64url) {
        return B64URL_DECODER.decode(base64url.asText());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
