package dev.gatekey.mfa.securitykey.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekey.mfa.securitykey.SecurityKeyBrowser;
import dev.gatekey.mfa.v1.FinishSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.MFADevice;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.SecurityKey;
import dev.gatekey.mfa.v1.SecurityKeyAttestationConveyance;
import dev.gatekey.mfa.v1.SecurityKeyServiceGrpc;
import dev.gatekey.mfa.v1.SecurityKeyServiceGrpc.SecurityKeyServiceBlockingStub;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionResponse;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationResponse;
import dev.gatekey.mfa.v1.VerifySecurityKeyAssertionRequest;
import dev.gatekey.mfa.v1.VerifySecurityKeyAssertionResponse;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import dev.gatekey.testsupport.TestTokens;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SecurityKeyService over gRPC against a real PostgreSQL: registrations and sign-in assertions
 * made by webauthn4j-test's emulated browser and keys, with tokens as identity-service signs them.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SecurityKeyGrpcServiceTest {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;
    private static final String ORIGIN = "https://localhost:8443";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An authorization question, by the caller's principal ARN. */
    private record Asked(String principalArn, String action, String resource) {
    }

    @Inject
    RecordingPolicyEnforcer policy;
    @Inject
    DataSource dataSource;

    private ManagedChannel channel;
    private SecurityKeyServiceBlockingStub anonymous;

    @BeforeEach
    void connect() {
        policy.reset();
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        anonymous = SecurityKeyServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    // ---- registration ---------------------------------------------------------------------

    @Test
    void aUserRegistersAPackedKeyListsItAndSignsInWithIt() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKeyServiceBlockingStub ada = as(TestTokens.userToken("ada"));
        StartSecurityKeyRegistrationResponse started = ada.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("ada-yubikey")
                        .setAttestation(SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_DIRECT)
                        .build());
        JsonNode options = JSON.readTree(started.getPublicKeyCredentialCreationOptionsJson());
        assertEquals("localhost", options.at("/rp/id").asText());
        assertEquals("ada", options.at("/user/name").asText());
        assertEquals("direct", options.at("/attestation").asText());
        assertEquals(0, options.at("/excludeCredentials").size());
        assertTrue(started.getExpiresAt().getSeconds() > Instant.now().getEpochSecond());

        SecurityKey key = ada.finishSecurityKeyRegistration(FinishSecurityKeyRegistrationRequest.newBuilder()
                .setChallengeId(started.getChallengeId())
                .setRegistrationResponseJson(browser.create(started.getPublicKeyCredentialCreationOptionsJson()))
                .build()).getSecurityKey();
        assertTrue(key.getSerialNumber().matches("arn:aws:iam::" + ACCOUNT + ":u2f/user/ada/ada-yubikey-[A-Z0-9]{26}"),
                key.getSerialNumber());
        assertEquals("ada", key.getUserName());
        assertEquals("ada-yubikey", key.getDeviceName());
        assertEquals("packed", key.getAttestationFormat());
        assertEquals(List.of("usb"), key.getTransportsList());
        assertTrue(Math.abs(key.getEnableDate().getSeconds() - Instant.now().getEpochSecond()) < 60);
        String rp = "arn:aws:iam::" + ACCOUNT + ":user/ada";
        assertEquals(List.of(new Asked(rp, "iam:EnableMFADevice", rp), new Asked(rp, "iam:EnableMFADevice", rp)),
                asked());

        // The key is an MFA device of ada's like any other.
        List<MFADevice> listed = BearerToken.attach(MfaDeviceServiceGrpc.newBlockingStub(channel),
                TestTokens.userToken("ada")).listMFADevices(ListMFADevicesRequest.getDefaultInstance())
                .getMfaDevicesList();
        assertEquals(List.of(key.getSerialNumber()), listed.stream().map(MFADevice::getSerialNumber).toList());
        assertEquals("SECURITY_KEY", deviceColumn(key.getSerialNumber(), "device_type"));

        // Sign-in: identity-service asks for a challenge and verifies the key's assertion.
        VerifySecurityKeyAssertionResponse verified = signIn("ada", browser);
        assertEquals(key.getSerialNumber(), verified.getSerialNumber());
        assertEquals("ada", verified.getUserName());
        assertEquals(ACCOUNT, verified.getAccountId());
        assertTrue(Math.abs(verified.getAuthenticatedAt().getSeconds() - Instant.now().getEpochSecond()) < 60);
        long counter = ((Number) credentialColumn(key.getSerialNumber(), "sign_count")).longValue();
        assertTrue(counter > 0, "the counter is stored");
        signIn("ada", browser);
        assertTrue(((Number) credentialColumn(key.getSerialNumber(), "sign_count")).longValue() > counter);
        assertNotNull(credentialColumn(key.getSerialNumber(), "last_used_at"));
    }

    @Test
    void aFidoU2fKeyRegistersWithDirectAttestationAndSignsIn() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.u2f(ORIGIN);
        SecurityKey key = register("ben", "ben-u2f", browser,
                SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_DIRECT);
        assertEquals("fido-u2f", key.getAttestationFormat());
        assertEquals("00000000-0000-0000-0000-000000000000", key.getAaguid());
        assertFalse(key.getUserVerified());
        assertEquals(key.getSerialNumber(), signIn("ben", browser).getSerialNumber());
        assertEquals(1L, ((Number) credentialColumn(key.getSerialNumber(), "sign_count")).longValue());
    }

    @Test
    void theConfiguredDefaultAttestationIsNone() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.none(ORIGIN,
                java.util.UUID.fromString("cb69481e-8ff7-4039-93ec-0a2729a154a8"), true);
        SecurityKeyServiceBlockingStub cleo = as(TestTokens.userToken("cleo"));
        StartSecurityKeyRegistrationResponse started = cleo.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("cleo-key").build());
        assertEquals("none", JSON.readTree(started.getPublicKeyCredentialCreationOptionsJson()).at("/attestation")
                .asText());
        assertEquals("preferred", JSON.readTree(started.getPublicKeyCredentialCreationOptionsJson())
                .at("/authenticatorSelection/userVerification").asText());
        SecurityKey key = cleo.finishSecurityKeyRegistration(finish(started.getChallengeId(), "",
                browser.create(started.getPublicKeyCredentialCreationOptionsJson()))).getSecurityKey();
        assertEquals("none", key.getAttestationFormat());
        assertTrue(key.getUserVerified());
        assertEquals(Boolean.TRUE, credentialColumn(key.getSerialNumber(), "uv_initialized"));
    }

    @Test
    void anAdminRegistersAKeyForAUserAndTheUsersKeysAreExcludedNextTime() throws Exception {
        SecurityKeyServiceBlockingStub root = as(TestTokens.rootToken());
        SecurityKey first = register(root, "dora", "dora-key-1", SecurityKeyBrowser.packed(ORIGIN));
        assertEquals("dora", first.getUserName());
        assertEquals(new Asked("arn:aws:iam::" + ACCOUNT + ":root", "iam:EnableMFADevice",
                "arn:aws:iam::" + ACCOUNT + ":user/dora"), asked().get(0));
        StartSecurityKeyRegistrationResponse second = root.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setUserName("dora").setDeviceName("dora-key-2").build());
        JsonNode options = JSON.readTree(second.getPublicKeyCredentialCreationOptionsJson());
        assertEquals(1, options.at("/excludeCredentials").size(), "the registered key is excluded");
        assertEquals(credentialIdOf(first.getSerialNumber()), options.at("/excludeCredentials/0/id").asText());
    }

    @Test
    void aMalformedResponseChangesNothingAndTheChallengeStaysUsable() {
        SecurityKeyServiceBlockingStub eli = as(TestTokens.userToken("eli"));
        StartSecurityKeyRegistrationResponse started = eli.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("eli-key").build());
        for (String bad : new String[] {"", "{not json", "{\"id\":\"AAAA\",\"type\":\"public-key\"}"}) {
            assertError(Status.Code.INVALID_ARGUMENT, "ValidationError",
                    () -> eli.finishSecurityKeyRegistration(finish(started.getChallengeId(), "", bad)));
        }
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError",
                () -> eli.finishSecurityKeyRegistration(finish("short", "", "{}")));
        SecurityKey key = eli.finishSecurityKeyRegistration(finish(started.getChallengeId(), "",
                SecurityKeyBrowser.packed(ORIGIN).create(started.getPublicKeyCredentialCreationOptionsJson())))
                .getSecurityKey();
        assertEquals("eli-key", key.getDeviceName());
    }

    @Test
    void aRegistrationChallengeIsSingleUseAndBoundToItsUser() {
        SecurityKeyServiceBlockingStub fay = as(TestTokens.userToken("fay"));
        StartSecurityKeyRegistrationResponse started = fay.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("fay-key").build());
        String response = SecurityKeyBrowser.packed(ORIGIN).create(started.getPublicKeyCredentialCreationOptionsJson());
        assertFailure("CHALLENGE_NOT_FOR_THIS_CEREMONY", () -> as(TestTokens.userToken("gus"))
                .finishSecurityKeyRegistration(finish(started.getChallengeId(), "", response)));
        // gus's attempt used the challenge up
        assertFailure("CHALLENGE_UNKNOWN",
                () -> fay.finishSecurityKeyRegistration(finish(started.getChallengeId(), "", response)));

        StartSecurityKeyRegistrationResponse again = fay.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("fay-key").build());
        String answer = SecurityKeyBrowser.packed(ORIGIN).create(again.getPublicKeyCredentialCreationOptionsJson());
        fay.finishSecurityKeyRegistration(finish(again.getChallengeId(), "", answer));
        assertFailure("CHALLENGE_UNKNOWN",
                () -> fay.finishSecurityKeyRegistration(finish(again.getChallengeId(), "", answer)));
        assertError(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists", () -> fay.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("FAY-KEY").build()));
    }

    @Test
    void aRegistrationFromAnotherOriginIsRefused() throws Exception {
        SecurityKeyServiceBlockingStub hal = as(TestTokens.userToken("hal"));
        StartSecurityKeyRegistrationResponse started = hal.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("hal-key").build());
        String phished = SecurityKeyBrowser.packed("https://gatekey.example.evil")
                .create(started.getPublicKeyCredentialCreationOptionsJson());
        assertFailure("ORIGIN_MISMATCH", () -> hal.finishSecurityKeyRegistration(finish(started.getChallengeId(), "",
                phished)));
        assertEquals(0, count("SELECT count(*) FROM mfa_devices WHERE user_name = 'hal'"));
    }

    @Test
    void atMostEightDevicesPerUser() {
        SecurityKeyServiceBlockingStub ivy = as(TestTokens.userToken("ivy"));
        for (int i = 1; i <= 8; i++) {
            register(ivy, "", "ivy-key-" + i, SecurityKeyBrowser.u2f(ORIGIN));
        }
        assertError(Status.Code.RESOURCE_EXHAUSTED, "LimitExceeded", () -> ivy.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("ivy-key-9").build()));
        assertEquals(8, BearerToken.attach(MfaDeviceServiceGrpc.newBlockingStub(channel), TestTokens.userToken("ivy"))
                .listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesCount());
    }

    @Test
    void registrationIsAuthorizedByPolicy() {
        policy.allow(false);
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> as(TestTokens.userToken("jon"))
                .startSecurityKeyRegistration(StartSecurityKeyRegistrationRequest.newBuilder()
                        .setDeviceName("jon-key").build()));
        String jon = "arn:aws:iam::" + ACCOUNT + ":user/jon";
        assertEquals(List.of(new Asked(jon, "iam:EnableMFADevice", jon)), asked());
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> as(identityServiceToken())
                .startSecurityKeyRegistration(StartSecurityKeyRegistrationRequest.newBuilder()
                        .setUserName("jon").setDeviceName("jon-key").build()));
    }

    // ---- authentication -------------------------------------------------------------------

    @Test
    void anAssertionChallengeIsSingleUse() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        register("kai", "kai-key", browser, SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        SecurityKeyServiceBlockingStub identity = as(identityServiceToken());
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion("kai"));
        String assertion = browser.get(started.getPublicKeyCredentialRequestOptionsJson());
        identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion));
        assertFailure("CHALLENGE_UNKNOWN",
                () -> identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion)));
    }

    @Test
    void concurrentAnswersToOneChallengeSucceedOnce() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        register("lea", "lea-key", browser, SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        SecurityKeyServiceBlockingStub identity = as(identityServiceToken());
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion("lea"));
        String assertion = browser.get(started.getPublicKeyCredentialRequestOptionsJson());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = pool.invokeAll(java.util.Collections.nCopies(4, (Callable<Boolean>) () -> {
                try {
                    identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion));
                    return true;
                } catch (StatusRuntimeException e) {
                    assertEquals("InvalidAuthenticationCode", GrpcErrors.reason(e));
                    return false;
                }
            }));
            long successes = 0;
            for (Future<Boolean> result : results) {
                successes += result.get() ? 1 : 0;
            }
            assertEquals(1, successes);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredAssertionChallengeIsRefusedAndUsedUp() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        register("max", "max-key", browser, SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        SecurityKeyServiceBlockingStub identity = as(identityServiceToken());
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion("max"));
        String assertion = browser.get(started.getPublicKeyCredentialRequestOptionsJson());
        // five minutes pass
        execute("UPDATE security_key_challenges SET expires_at = now() - interval '1 second' WHERE challenge_id = ?",
                started.getChallengeId());
        assertFailure("CHALLENGE_EXPIRED",
                () -> identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion)));
        assertFailure("CHALLENGE_UNKNOWN",
                () -> identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion)));
    }

    @Test
    void anAssertionFromAnotherOriginIsRefusedAndCounted() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKey key = register("ned", "ned-key", browser,
                SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        SecurityKeyServiceBlockingStub identity = as(identityServiceToken());
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion("ned"));
        String phished = browser.at("https://gatekey.example.evil").get(started.getPublicKeyCredentialRequestOptionsJson());
        assertFailure("ORIGIN_MISMATCH",
                () -> identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), phished)));
        assertEquals(1, ((Number) deviceColumn(key.getSerialNumber(), "failed_attempts")).intValue());
        browser.at(ORIGIN);
        signIn("ned", browser);
        assertEquals(0, ((Number) deviceColumn(key.getSerialNumber(), "failed_attempts")).intValue(),
                "a success resets the count");
    }

    @Test
    void aClonedKeyIsRefusedFlaggedAndStaysRefused() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKey key = register("ora", "ora-key", browser,
                SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        signIn("ora", browser);
        SecurityKeyServiceBlockingStub identity = as(identityServiceToken());
        StartSecurityKeyAssertionResponse first = identity.startSecurityKeyAssertion(startAssertion("ora"));
        StartSecurityKeyAssertionResponse second = identity.startSecurityKeyAssertion(startAssertion("ora"));

        browser.countUp(false); // the clone answers with the counter it copied
        String cloned = browser.get(first.getPublicKeyCredentialRequestOptionsJson());
        assertFailure("COUNTER_NOT_INCREASED",
                () -> identity.verifySecurityKeyAssertion(verify(first.getChallengeId(), cloned)));
        assertNotNull(credentialColumn(key.getSerialNumber(), "possibly_cloned_at"), "flagged");

        browser.countUp(true); // even the genuine key, with a higher counter, is refused now
        String genuine = browser.get(second.getPublicKeyCredentialRequestOptionsJson());
        assertFailure("DEVICE_FLAGGED_AS_CLONED",
                () -> identity.verifySecurityKeyAssertion(verify(second.getChallengeId(), genuine)));
        assertFailure("DEVICE_FLAGGED_AS_CLONED", () -> identity.startSecurityKeyAssertion(startAssertion("ora")));
        assertEquals(2, ((Number) deviceColumn(key.getSerialNumber(), "failed_attempts")).intValue());
    }

    @Test
    void unknownCredentialsAndOtherUsersCredentialsAreRefused() throws Exception {
        SecurityKeyBrowser pias = SecurityKeyBrowser.packed(ORIGIN);
        register("pia", "pia-key", pias, SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        SecurityKeyBrowser quins = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKey quinsKey = register("quin", "quin-key", quins,
                SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        SecurityKeyServiceBlockingStub identity = as(identityServiceToken());

        // quin's key answers pia's challenge (a client that swapped allowCredentials)
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion("pia"));
        String quinsAssertion = quins.get(withAllowed(started.getPublicKeyCredentialRequestOptionsJson(),
                credentialIdOf(quinsKey.getSerialNumber())));
        assertFailure("CREDENTIAL_OF_ANOTHER_USER",
                () -> identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), quinsAssertion)));

        // a key that was never registered (its registration was not finished)
        SecurityKeyBrowser stranger = SecurityKeyBrowser.packed(ORIGIN);
        StartSecurityKeyRegistrationResponse unfinished = as(TestTokens.userToken("pia")).startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("pia-unfinished").build());
        String strangersId = JSON.readTree(stranger.create(unfinished.getPublicKeyCredentialCreationOptionsJson()))
                .get("id").asText();
        StartSecurityKeyAssertionResponse again = identity.startSecurityKeyAssertion(startAssertion("pia"));
        String strangersAssertion = stranger.get(withAllowed(again.getPublicKeyCredentialRequestOptionsJson(),
                strangersId));
        assertFailure("UNKNOWN_CREDENTIAL",
                () -> identity.verifySecurityKeyAssertion(verify(again.getChallengeId(), strangersAssertion)));

        assertError(Status.Code.NOT_FOUND, "NoSuchEntity",
                () -> identity.startSecurityKeyAssertion(startAssertion("nobody-here")));
    }

    @Test
    void onlyIdentityServiceRunsAssertions() {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        register("ray", "ray-key", browser, SecurityKeyAttestationConveyance.SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED);
        StartSecurityKeyAssertionResponse started = as(identityServiceToken())
                .startSecurityKeyAssertion(startAssertion("ray"));
        String assertion = browser.get(started.getPublicKeyCredentialRequestOptionsJson());
        for (String token : List.of(TestTokens.userToken("ray"), TestTokens.rootToken(),
                serviceToken("gatekey:service/policy-service"))) {
            assertError(Status.Code.PERMISSION_DENIED, "AccessDenied",
                    () -> as(token).startSecurityKeyAssertion(startAssertion("ray")));
            assertError(Status.Code.PERMISSION_DENIED, "AccessDenied",
                    () -> as(token).verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion)));
        }
        assertError(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken",
                () -> anonymous.verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion)));
        // none of that used the challenge up
        assertEquals("ray", as(identityServiceToken())
                .verifySecurityKeyAssertion(verify(started.getChallengeId(), assertion)).getUserName());
    }

    // ---- helpers --------------------------------------------------------------------------

    private SecurityKeyServiceBlockingStub as(String token) {
        return BearerToken.attach(anonymous, token);
    }

    private static String identityServiceToken() {
        return serviceToken("gatekey:service/identity-service");
    }

    /** A service principal belongs to no account and no user (empty claims: JWT claims cannot be null). */
    private static String serviceToken(String principalArn) {
        return TestTokens.sign(new Caller(principalArn, PrincipalType.SERVICE, "", "", "", Optional.empty(),
                Optional.empty(), Instant.now(), null));
    }

    private SecurityKey register(String user, String deviceName, SecurityKeyBrowser browser,
            SecurityKeyAttestationConveyance attestation) {
        SecurityKeyServiceBlockingStub stub = as(TestTokens.userToken(user));
        StartSecurityKeyRegistrationResponse started = stub.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName(deviceName).setAttestation(attestation)
                        .build());
        return stub.finishSecurityKeyRegistration(finish(started.getChallengeId(), "",
                browser.create(started.getPublicKeyCredentialCreationOptionsJson()))).getSecurityKey();
    }

    private static SecurityKey register(SecurityKeyServiceBlockingStub stub, String user, String deviceName,
            SecurityKeyBrowser browser) {
        StartSecurityKeyRegistrationResponse started = stub.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setUserName(user).setDeviceName(deviceName).build());
        return stub.finishSecurityKeyRegistration(finish(started.getChallengeId(), user,
                browser.create(started.getPublicKeyCredentialCreationOptionsJson()))).getSecurityKey();
    }

    private VerifySecurityKeyAssertionResponse signIn(String user, SecurityKeyBrowser browser) {
        SecurityKeyServiceBlockingStub identity = as(identityServiceToken());
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion(user));
        return identity.verifySecurityKeyAssertion(verify(started.getChallengeId(),
                browser.get(started.getPublicKeyCredentialRequestOptionsJson())));
    }

    private static FinishSecurityKeyRegistrationRequest finish(String challengeId, String user, String json) {
        return FinishSecurityKeyRegistrationRequest.newBuilder().setChallengeId(challengeId).setUserName(user)
                .setRegistrationResponseJson(json).build();
    }

    private static StartSecurityKeyAssertionRequest startAssertion(String user) {
        return StartSecurityKeyAssertionRequest.newBuilder().setAccountId(ACCOUNT).setUserName(user).build();
    }

    private static VerifySecurityKeyAssertionRequest verify(String challengeId, String json) {
        return VerifySecurityKeyAssertionRequest.newBuilder().setChallengeId(challengeId)
                .setAuthenticationResponseJson(json).build();
    }

    private static String withAllowed(String requestOptionsJson, String credentialId) throws Exception {
        ObjectNode options = (ObjectNode) JSON.readTree(requestOptionsJson);
        options.putArray("allowCredentials").addObject().put("type", "public-key").put("id", credentialId);
        return options.toString();
    }

    private String credentialIdOf(String serial) throws Exception {
        byte[] id = (byte[]) credentialColumn(serial, "credential_id");
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private Object deviceColumn(String serial, String column) {
        return query("SELECT " + column + " FROM mfa_devices WHERE serial_number = ?", serial);
    }

    private Object credentialColumn(String serial, String column) {
        return query("SELECT c." + column + " FROM security_key_credentials c JOIN mfa_devices d ON d.id = c.device_id"
                + " WHERE d.serial_number = ?", serial);
    }

    private Object query(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next(), sql);
                return r.getObject(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql);
                ResultSet r = q.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, parameter);
            assertEquals(1, q.executeUpdate());
        }
    }

    private List<Asked> asked() {
        return policy.questions().stream()
                .map(q -> new Asked(q.caller().principalArn(), q.action(), q.resource()))
                .toList();
    }

    private static StatusRuntimeException assertError(Status.Code code, String reason, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(reason, GrpcErrors.reason(e), e.getStatus().toString());
        return e;
    }

    /** A refused ceremony: InvalidAuthenticationCode with the failed check in the ErrorInfo metadata. */
    private static void assertFailure(String failure, Executable call) {
        StatusRuntimeException e = assertError(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode", call);
        ErrorInfo info = StatusProto.fromThrowable(e).getDetailsList().stream()
                .filter(d -> d.is(ErrorInfo.class)).findFirst().map(d -> {
                    try {
                        return d.unpack(ErrorInfo.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                        throw new IllegalStateException(x);
                    }
                }).orElseThrow();
        assertEquals(failure, info.getMetadataMap().get("failure"), e.getStatus().getDescription());
        assertFalse(e.getStatus().getDescription().isEmpty());
    }
}
