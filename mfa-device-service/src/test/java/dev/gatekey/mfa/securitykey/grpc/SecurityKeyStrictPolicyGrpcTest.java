package dev.gatekey.mfa.securitykey.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.ErrorInfo;
import dev.gatekey.mfa.securitykey.SecurityKeyBrowser;
import dev.gatekey.mfa.v1.FinishSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.SecurityKey;
import dev.gatekey.mfa.v1.SecurityKeyServiceGrpc;
import dev.gatekey.mfa.v1.SecurityKeyServiceGrpc.SecurityKeyServiceBlockingStub;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionResponse;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationResponse;
import dev.gatekey.mfa.v1.VerifySecurityKeyAssertionRequest;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The relying-party policy from configuration (the {@code GATEKEY_MFA_WEBAUTHN_*} variables):
 * another RP ID and origin, user verification required and an AAGUID allow-list.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(SecurityKeyStrictPolicyGrpcTest.StrictPolicy.class)
class SecurityKeyStrictPolicyGrpcTest {
    private static final String CONSOLE = "https://console.gatekey.example";
    private static final UUID ALLOWED_MODEL = UUID.fromString("cb69481e-8ff7-4039-93ec-0a2729a154a8");
    private static final UUID OTHER_MODEL = UUID.fromString("ee882879-721c-4913-9775-3dfcce97072a");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Strict settings, as an operator would give them in the environment. */
    public static class StrictPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gatekey.security-key.rp-id", "gatekey.example",
                    "gatekey.security-key.origins", CONSOLE,
                    "gatekey.security-key.user-verification", "required",
                    "gatekey.security-key.attestation", "direct",
                    "gatekey.security-key.aaguid-allow-list", ALLOWED_MODEL + ", " + UUID.randomUUID());
        }
    }

    private ManagedChannel channel;
    private SecurityKeyServiceBlockingStub anonymous;

    @BeforeEach
    void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        anonymous = SecurityKeyServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    @Test
    void theOptionsCarryTheConfiguredPolicy() throws Exception {
        JsonNode options = JSON.readTree(start("uma", "uma-key").getPublicKeyCredentialCreationOptionsJson());
        assertEquals("gatekey.example", options.at("/rp/id").asText());
        assertEquals("required", options.at("/authenticatorSelection/userVerification").asText());
        assertEquals("direct", options.at("/attestation").asText());
    }

    @Test
    void anAllowedModelThatVerifiesTheUserRegistersAndSignsIn() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.none(CONSOLE, ALLOWED_MODEL, true);
        StartSecurityKeyRegistrationResponse started = start("vic", "vic-key");
        SecurityKey key = finish("vic", started, browser.create(started.getPublicKeyCredentialCreationOptionsJson()));
        assertEquals(ALLOWED_MODEL.toString(), key.getAaguid());
        assertTrue(key.getUserVerified());

        SecurityKeyServiceBlockingStub identity = BearerToken.attach(anonymous, identityServiceToken());
        StartSecurityKeyAssertionResponse assertion = identity.startSecurityKeyAssertion(
                StartSecurityKeyAssertionRequest.newBuilder().setAccountId(TestTokens.ACCOUNT_ID).setUserName("vic")
                        .build());
        var verified = identity.verifySecurityKeyAssertion(VerifySecurityKeyAssertionRequest.newBuilder()
                .setChallengeId(assertion.getChallengeId())
                .setAuthenticationResponseJson(browser.get(assertion.getPublicKeyCredentialRequestOptionsJson()))
                .build());
        assertEquals(key.getSerialNumber(), verified.getSerialNumber());
        assertTrue(verified.getUserVerified());
    }

    @Test
    void aModelOutsideTheAllowListIsRefused() {
        StartSecurityKeyRegistrationResponse started = start("wes", "wes-key");
        String response = SecurityKeyBrowser.none(CONSOLE, OTHER_MODEL, true)
                .create(started.getPublicKeyCredentialCreationOptionsJson());
        assertFailure("AAGUID_NOT_ALLOWED", () -> finish("wes", started, response));
    }

    @Test
    void aKeyThatCannotVerifyTheUserIsRefused() {
        StartSecurityKeyRegistrationResponse started = start("xia", "xia-key");
        String response = SecurityKeyBrowser.u2f(CONSOLE).create(started.getPublicKeyCredentialCreationOptionsJson());
        assertFailure("USER_NOT_VERIFIED", () -> finish("xia", started, response));
    }

    @Test
    void anOriginThatIsNoLongerConfiguredIsRefused() {
        StartSecurityKeyRegistrationResponse started = start("yan", "yan-key");
        String response = SecurityKeyBrowser.none("https://localhost:8443", ALLOWED_MODEL, true)
                .create(started.getPublicKeyCredentialCreationOptionsJson());
        assertFailure("ORIGIN_MISMATCH", () -> finish("yan", started, response));
    }

    private StartSecurityKeyRegistrationResponse start(String user, String deviceName) {
        return BearerToken.attach(anonymous, TestTokens.userToken(user)).startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName(deviceName).build());
    }

    private SecurityKey finish(String user, StartSecurityKeyRegistrationResponse started, String response) {
        return BearerToken.attach(anonymous, TestTokens.userToken(user)).finishSecurityKeyRegistration(
                FinishSecurityKeyRegistrationRequest.newBuilder().setChallengeId(started.getChallengeId())
                        .setRegistrationResponseJson(response).build()).getSecurityKey();
    }

    private static String identityServiceToken() {
        return TestTokens.sign(new Caller("gatekey:service/identity-service", PrincipalType.SERVICE, "", "", "",
                Optional.empty(), Optional.empty(), Instant.now(), null));
    }

    private static void assertFailure(String failure, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals("InvalidAuthenticationCode", GrpcErrors.reason(e));
        ErrorInfo info = StatusProto.fromThrowable(e).getDetailsList().stream().filter(d -> d.is(ErrorInfo.class))
                .findFirst().map(d -> {
                    try {
                        return d.unpack(ErrorInfo.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                        throw new IllegalStateException(x);
                    }
                }).orElseThrow();
        assertEquals(failure, info.getMetadataMap().get("failure"), e.getStatus().getDescription());
    }
}
