package dev.gatekey.mfa.securitykey.grpc;

import static dev.gatekey.mfa.grpc.ParallelAttempts.parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.mfa.domain.Base32;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.securitykey.SecurityKeyBrowser;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.DeactivateMFADeviceRequest;
import dev.gatekey.mfa.v1.EnableMFADeviceRequest;
import dev.gatekey.mfa.v1.FinishSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.GetAccountMfaSummaryRequest;
import dev.gatekey.mfa.v1.GetMFADeviceRequest;
import dev.gatekey.mfa.v1.GetMFADeviceResponse;
import dev.gatekey.mfa.v1.ListMFADeviceEventsRequest;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.MFADevice;
import dev.gatekey.mfa.v1.MFADeviceEvent;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub;
import dev.gatekey.mfa.v1.MfaDeviceType;
import dev.gatekey.mfa.v1.RenameUserRequest;
import dev.gatekey.mfa.v1.SecurityKey;
import dev.gatekey.mfa.v1.SecurityKeyServiceGrpc;
import dev.gatekey.mfa.v1.SecurityKeyServiceGrpc.SecurityKeyServiceBlockingStub;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionResponse;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationResponse;
import dev.gatekey.mfa.v1.UnlockMFADeviceRequest;
import dev.gatekey.mfa.v1.VerifySecurityKeyAssertionRequest;
import dev.gatekey.mfa.v1.VerifySecurityKeyAssertionResponse;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VirtualMFADevice;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.platform.iam.IamNames;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Security keys as MFA devices like the others, over gRPC on a real PostgreSQL with
 * webauthn4j-test's emulated keys: listed and described beside TOTP devices, counted in the 8
 * devices per user (also against parallel registrations), removed by DeactivateMFADevice,
 * registered by the root user, counted in the account summary, moved by RenameUser, audited,
 * and locked out by the same per-device and per-user counters as TOTP codes.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SecurityKeyLifecycleTest {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;
    private static final String ARN = "arn:aws:iam::" + ACCOUNT + ":";
    private static final String ORIGIN = "https://localhost:8443";
    private static final String SERIAL_SUFFIX = "-[A-Z0-9]{26}";

    private record Asked(String principalArn, String action, String resource) {
    }

    @Inject
    RecordingPolicyEnforcer policy;
    @Inject
    DataSource dataSource;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        policy.reset();
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    // ---- one list, one limit, one way out -------------------------------------------------

    @Test
    void keysAreListedDescribedAndDeactivatedBesideTotpDevices() throws Exception {
        MfaDeviceServiceBlockingStub skuma = devices(TestTokens.userToken("skuma"));
        String phone = createAndEnable(skuma, "", "skuma-phone");
        SecurityKey key = register(keys(TestTokens.userToken("skuma")), "", "skuma-key", SecurityKeyBrowser.packed(ORIGIN));
        assertTrue(key.getSerialNumber().matches(ARN + "u2f/user/skuma/skuma-key" + SERIAL_SUFFIX), key.getSerialNumber());

        List<MFADevice> listed = skuma.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesList();
        assertEquals(List.of(phone, key.getSerialNumber()), listed.stream().map(MFADevice::getSerialNumber).toList());
        assertEquals(List.of(MfaDeviceType.MFA_DEVICE_TYPE_VIRTUAL, MfaDeviceType.MFA_DEVICE_TYPE_SECURITY_KEY),
                listed.stream().map(MFADevice::getDeviceType).toList());
        assertEquals(key.getEnableDate(), listed.get(1).getEnableDate());
        assertEquals("skuma", listed.get(1).getUserName());

        policy.reset();
        GetMFADeviceResponse described = devices(TestTokens.rootToken()).getMFADevice(GetMFADeviceRequest.newBuilder()
                .setUserName("skuma").setSerialNumber(key.getSerialNumber()).build());
        assertEquals("skuma", described.getUserName());
        assertEquals(key.getEnableDate(), described.getEnableDate());
        assertEquals(MfaDeviceType.MFA_DEVICE_TYPE_SECURITY_KEY, described.getDeviceType());
        assertEquals(new Asked(ARN + "root", "iam:GetMFADevice", ARN + "user/skuma"), asked().get(0));
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity", () -> devices(TestTokens.userToken("skvic")).getMFADevice(
                GetMFADeviceRequest.newBuilder().setSerialNumber(key.getSerialNumber()).build()));

        // a refused deactivation changes nothing and is on the record
        policy.allow(false);
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> skuma.deactivateMFADevice(
                DeactivateMFADeviceRequest.newBuilder().setSerialNumber(key.getSerialNumber()).build()));
        policy.allow(true);
        assertEquals(1L, count("SELECT count(*) FROM security_key_credentials c JOIN mfa_devices d ON d.id = "
                + "c.device_id WHERE d.serial_number = ?", key.getSerialNumber()));

        // the user removes its own key: authorized on its own ARN, device and credential gone
        String deviceId = Long.toString(count("SELECT id FROM mfa_devices WHERE serial_number = ?",
                key.getSerialNumber()));
        policy.reset();
        skuma.deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder().setSerialNumber(key.getSerialNumber()).build());
        assertEquals(List.of(new Asked(ARN + "user/skuma", "iam:DeactivateMFADevice", ARN + "user/skuma")), asked());
        assertEquals(0L, count("SELECT count(*) FROM mfa_devices WHERE serial_number = ?", key.getSerialNumber()));
        assertEquals(0L, count("SELECT count(*) FROM security_key_credentials WHERE device_id = CAST(? AS bigint)",
                deviceId));
        assertEquals(List.of(phone), skuma.listMFADevices(ListMFADevicesRequest.getDefaultInstance())
                .getMfaDevicesList().stream().map(MFADevice::getSerialNumber).toList());
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity", () -> keysAsIdentity().startSecurityKeyAssertion(
                startAssertion(ACCOUNT, "skuma")));

        // an admin removes another user's key: authorized on that user's ARN
        SecurityKey second = register(keys(TestTokens.userToken("skuma")), "", "skuma-key-2",
                SecurityKeyBrowser.u2f(ORIGIN));
        policy.reset();
        devices(TestTokens.rootToken()).deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder()
                .setUserName("skuma").setSerialNumber(second.getSerialNumber()).build());
        assertEquals(List.of(new Asked(ARN + "root", "iam:DeactivateMFADevice", ARN + "user/skuma")), asked());

        List<MFADeviceEvent> events = events("skuma", null);
        assertEquals(List.of("DeactivateMFADevice", "EnableMFADevice", "StartSecurityKeyAssertion",
                "DeactivateMFADevice", "DeactivateMFADevice", "EnableMFADevice", "EnableMFADevice"),
                events.stream().map(MFADeviceEvent::getEventName).toList());
        assertEquals(second.getSerialNumber(), events.get(0).getSerialNumber());
        assertEquals(ARN + "root", events.get(0).getPrincipalArn());
        assertEquals("NoSuchEntity", events.get(2).getOutcome());
        assertEquals(ARN + "user/skuma", events.get(3).getPrincipalArn());
        assertEquals("Success", events.get(3).getOutcome());
        assertEquals(key.getSerialNumber(), events.get(3).getSerialNumber());
        assertEquals("AccessDenied", events.get(4).getOutcome());
        assertEquals(key.getSerialNumber(), events.get(4).getSerialNumber());
        assertEquals(key.getSerialNumber(), events.get(5).getSerialNumber());
        assertEquals(phone, events.get(6).getSerialNumber());
    }

    @Test
    void theLimitOfEightCountsEveryKindOfDevice() throws Exception {
        SecurityKeyServiceBlockingStub skwes = keys(TestTokens.userToken("skwes"));
        MfaDeviceServiceBlockingStub wesDevices = devices(TestTokens.userToken("skwes"));
        for (int i = 1; i <= 4; i++) {
            createAndEnable(wesDevices, "", "skwes-phone-" + i);
        }
        for (int i = 1; i <= 4; i++) {
            register(skwes, "", "skwes-key-" + i, SecurityKeyBrowser.u2f(ORIGIN));
        }
        assertError(Status.Code.RESOURCE_EXHAUSTED, "LimitExceeded", () -> skwes.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("skwes-key-5").build()));
        String ninth = wesDevices.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName("skwes-phone-5").build()).getVirtualMfaDevice().getSerialNumber();
        assertError(Status.Code.RESOURCE_EXHAUSTED, "LimitExceeded", () -> wesDevices.enableMFADevice(
                EnableMFADeviceRequest.newBuilder().setSerialNumber(ninth).setAuthenticationCode1("123456")
                        .setAuthenticationCode2("234567").build()));
        assertEquals(8, wesDevices.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesCount());
    }

    @Test
    void parallelRegistrationsAndEnablementsCannotPassEightDevices() throws Exception {
        SecurityKeyServiceBlockingStub skxia = keys(TestTokens.userToken("skxia"));
        MfaDeviceServiceBlockingStub xiaDevices = devices(TestTokens.userToken("skxia"));
        for (int i = 1; i <= 7; i++) {
            register(skxia, "", "skxia-key-" + i, SecurityKeyBrowser.u2f(ORIGIN));
        }
        // four ceremonies and a virtual device, all started while the user has 7 devices
        List<String> challenges = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            StartSecurityKeyRegistrationResponse started = skxia.startSecurityKeyRegistration(
                    StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("skxia-race-" + i).build());
            challenges.add(started.getChallengeId());
            answers.add(SecurityKeyBrowser.u2f(ORIGIN).create(started.getPublicKeyCredentialCreationOptionsJson()));
        }
        VirtualMFADevice phone = xiaDevices.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName("skxia-race-phone").build()).getVirtualMfaDevice();
        Totp totp = totp(phone);
        long step = totp.step(Instant.now());

        List<String> outcomes = parallel(5, i -> {
            if (i == 4) {
                xiaDevices.enableMFADevice(EnableMFADeviceRequest.newBuilder().setSerialNumber(phone.getSerialNumber())
                        .setAuthenticationCode1(totp.code(step - 1)).setAuthenticationCode2(totp.code(step)).build());
            } else {
                skxia.finishSecurityKeyRegistration(finish(challenges.get(i), "", answers.get(i)));
            }
            return "Success";
        });
        assertEquals(1, Collections.frequency(outcomes, "Success"), outcomes.toString());
        assertEquals(4, Collections.frequency(outcomes, "LimitExceeded"), outcomes.toString());
        assertEquals(8L, count("SELECT count(*) FROM mfa_devices WHERE account_id = ? AND user_name = 'skxia'", ACCOUNT));
        assertEquals(8, xiaDevices.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesCount());
    }

    // ---- the root user, the account summary, renames --------------------------------------

    @Test
    void theRootUserRegistersListsAndSignsInWithItsOwnKey() throws Exception {
        String account = "555555555555";
        String rootToken = rootToken(account);
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKeyServiceBlockingStub root = keys(rootToken);
        StartSecurityKeyRegistrationResponse started = root.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("root-yubikey").build());
        SecurityKey key = root.finishSecurityKeyRegistration(finish(started.getChallengeId(), "",
                browser.create(started.getPublicKeyCredentialCreationOptionsJson()))).getSecurityKey();
        String rootArn = IamNames.rootArn(account);
        assertEquals(List.of(new Asked(rootArn, "iam:EnableMFADevice", rootArn),
                new Asked(rootArn, "iam:EnableMFADevice", rootArn)), asked());
        assertTrue(key.getSerialNumber().matches("arn:aws:iam::" + account + ":u2f/root/root-yubikey" + SERIAL_SUFFIX),
                key.getSerialNumber());
        assertEquals("", key.getUserName());

        MfaDeviceServiceBlockingStub rootDevices = devices(rootToken);
        List<MFADevice> listed = rootDevices.listMFADevices(ListMFADevicesRequest.getDefaultInstance())
                .getMfaDevicesList();
        assertEquals(1, listed.size());
        assertEquals(key.getSerialNumber(), listed.get(0).getSerialNumber());
        assertEquals("", listed.get(0).getUserName());
        assertEquals(key.getSerialNumber(), rootDevices.getMFADevice(GetMFADeviceRequest.newBuilder()
                .setSerialNumber(key.getSerialNumber()).build()).getSerialNumber());

        var summary = devicesAsIdentity().getAccountMfaSummary(GetAccountMfaSummaryRequest.newBuilder()
                .setAccountId(account).build());
        assertEquals(1, summary.getMfaDevices());
        assertEquals(1, summary.getMfaDevicesInUse());
        assertTrue(summary.getAccountMfaEnabled());
        assertEquals(List.of(), summary.getUserNamesWithMfaList());

        // sign-in: identity-service names the root user with an empty user name
        SecurityKeyServiceBlockingStub identity = keysAsIdentity();
        StartSecurityKeyAssertionResponse assertion = identity.startSecurityKeyAssertion(startAssertion(account, ""));
        VerifySecurityKeyAssertionResponse verified = identity.verifySecurityKeyAssertion(verify(
                assertion.getChallengeId(), browser.get(assertion.getPublicKeyCredentialRequestOptionsJson())));
        assertEquals("", verified.getUserName());
        assertEquals(account, verified.getAccountId());
        assertEquals(key.getSerialNumber(), verified.getSerialNumber());

        rootDevices.deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder().setSerialNumber(key.getSerialNumber())
                .build());
        assertEquals(0, rootDevices.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesCount());
        assertEquals(false, devicesAsIdentity().getAccountMfaSummary(GetAccountMfaSummaryRequest.newBuilder()
                .setAccountId(account).build()).getAccountMfaEnabled());
    }

    @Test
    void theAccountSummaryCountsKeysAndRenameUserMovesThem() throws Exception {
        String account = "666666666666";
        MfaDeviceServiceBlockingStub root = devices(rootToken(account));
        String phone = createAndEnable(root, "ava", "ava-phone");
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKey key = register(keys(rootToken(account)), "ava", "ava-key", browser);
        register(keys(rootToken(account)), "bo", "bo-key", SecurityKeyBrowser.u2f(ORIGIN));
        root.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder().setVirtualMfaDeviceName("spare").build());

        var summary = devicesAsIdentity().getAccountMfaSummary(GetAccountMfaSummaryRequest.newBuilder()
                .setAccountId(account).build());
        assertEquals(4, summary.getMfaDevices());
        assertEquals(3, summary.getMfaDevicesInUse());
        assertEquals(List.of("ava", "bo"), summary.getUserNamesWithMfaList());
        assertEquals(false, summary.getAccountMfaEnabled());

        // a sign-in under way when the user is renamed still completes
        StartSecurityKeyAssertionResponse pending = keysAsIdentity().startSecurityKeyAssertion(
                startAssertion(account, "ava"));
        assertEquals(2, devicesAsIdentity().renameUser(RenameUserRequest.newBuilder().setAccountId(account)
                .setOldUserName("ava").setNewUserName("ava-marie").build()).getDevicesMoved());
        List<MFADevice> moved = root.listMFADevices(ListMFADevicesRequest.newBuilder().setUserName("ava-marie").build())
                .getMfaDevicesList();
        assertEquals(List.of(phone, key.getSerialNumber()), moved.stream().map(MFADevice::getSerialNumber).toList());
        assertEquals(List.of("ava-marie", "ava-marie"), moved.stream().map(MFADevice::getUserName).toList());
        assertEquals(0, root.listMFADevices(ListMFADevicesRequest.newBuilder().setUserName("ava").build())
                .getMfaDevicesCount());
        assertEquals("ava-marie", keysAsIdentity().verifySecurityKeyAssertion(verify(pending.getChallengeId(),
                browser.get(pending.getPublicKeyCredentialRequestOptionsJson()))).getUserName());
        assertEquals("ava-marie", signIn(account, "ava-marie", browser).getUserName());
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity", () -> keysAsIdentity().startSecurityKeyAssertion(
                startAssertion(account, "ava")));
    }

    // ---- audit ----------------------------------------------------------------------------

    @Test
    void everySecurityKeyEventIsAnAuditRecordWithWhoWhenAndWhere() throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), "203.0.113.9");
        SecurityKeyServiceBlockingStub skyul = keys(TestTokens.userToken("skyul"))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        Instant before = Instant.now().minusSeconds(5);

        // a registration from a phishing origin, then a good one
        StartSecurityKeyRegistrationResponse phished = skyul.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setDeviceName("skyul-key").build());
        assertError(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode", () -> skyul.finishSecurityKeyRegistration(
                finish(phished.getChallengeId(), "", SecurityKeyBrowser.packed("https://gatekey.example.evil")
                        .create(phished.getPublicKeyCredentialCreationOptionsJson()))));
        SecurityKey key = register(skyul, "", "skyul-key", browser);

        // a failed assertion from a phishing origin, reported from the user's address
        SecurityKeyServiceBlockingStub identity = keysAsIdentity();
        StartSecurityKeyAssertionResponse first = identity.startSecurityKeyAssertion(startAssertion(ACCOUNT, "skyul"));
        String wrongOrigin = browser.at("https://gatekey.example.evil").get(
                first.getPublicKeyCredentialRequestOptionsJson());
        browser.at(ORIGIN);
        assertError(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode", () -> identity.verifySecurityKeyAssertion(
                verify(first.getChallengeId(), wrongOrigin).toBuilder().setSourceIp("198.51.100.77").build()));
        // a clone
        signIn(ACCOUNT, "skyul", browser);
        StartSecurityKeyAssertionResponse second = identity.startSecurityKeyAssertion(startAssertion(ACCOUNT, "skyul"));
        browser.countUp(false);
        String cloned = browser.get(second.getPublicKeyCredentialRequestOptionsJson());
        assertError(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode", () -> identity.verifySecurityKeyAssertion(
                verify(second.getChallengeId(), cloned).toBuilder().setSourceIp("198.51.100.78").build()));
        devices(TestTokens.rootToken()).deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder()
                .setUserName("skyul").setSerialNumber(key.getSerialNumber()).build());

        List<MFADeviceEvent> events = events("skyul", null);
        assertEquals(List.of("DeactivateMFADevice", "FailedAttempt", "PossiblyCloned", "FailedAttempt",
                "EnableMFADevice", "EnableMFADevice"), events.stream().map(MFADeviceEvent::getEventName).toList());
        assertEquals(List.of("Success", "COUNTER_NOT_INCREASED", "COUNTER_NOT_INCREASED", "ORIGIN_MISMATCH",
                "Success", "ORIGIN_MISMATCH"), events.stream().map(MFADeviceEvent::getOutcome).toList());
        assertEquals(List.of(ARN + "root", "gatekey:service/identity-service", "gatekey:service/identity-service",
                "gatekey:service/identity-service", ARN + "user/skyul", ARN + "user/skyul"),
                events.stream().map(MFADeviceEvent::getPrincipalArn).toList());
        assertEquals(List.of("198.51.100.78", "198.51.100.78", "198.51.100.77", "203.0.113.9", "203.0.113.9"),
                events.subList(1, 6).stream().map(MFADeviceEvent::getSourceAddress).toList());
        assertEquals(List.of(key.getSerialNumber(), key.getSerialNumber(), key.getSerialNumber(),
                key.getSerialNumber(), key.getSerialNumber(), ""),
                events.stream().map(MFADeviceEvent::getSerialNumber).toList());
        for (MFADeviceEvent event : events) {
            assertEquals("skyul", event.getUserName());
            assertTrue(event.getEventTime().getSeconds() >= before.getEpochSecond());
        }
    }

    // ---- lockout parity with TOTP ---------------------------------------------------------

    @Test
    void failedAssertionsCountPerKeyAndPerUserBackOffLockAndAnAdminUnlocks() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKey key = register(keys(TestTokens.userToken("skzoe")), "", "skzoe-key", browser);
        String phone = createAndEnable(devices(TestTokens.userToken("skzoe")), "", "skzoe-phone");
        SecurityKeyServiceBlockingStub identity = keysAsIdentity();

        // one failure counts on the key and on the user, whose counter TOTP codes share
        failOnce("skzoe", browser);
        assertEquals(1, intColumn(key.getSerialNumber(), "failed_attempts"));
        assertEquals(1L, userFailures("skzoe"));
        String wrongCode = "000000".equals(totpCodeNow(phone)) ? "111111" : "000000";
        assertError(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode", () -> devicesAsIdentity().verifyTotp(
                VerifyTotpRequest.newBuilder().setAccountId(ACCOUNT).setUserName("skzoe").setSerialNumber(phone)
                        .setAuthenticationCode(wrongCode).build()));
        assertEquals(2L, userFailures("skzoe"));

        // a key in back-off is refused before its assertion is looked at, and nothing is counted
        sql("UPDATE mfa_devices SET failed_attempts = 7, last_failed_at = now() WHERE serial_number = ?",
                key.getSerialNumber());
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion(ACCOUNT, "skzoe"));
        String genuine = browser.get(started.getPublicKeyCredentialRequestOptionsJson());
        assertError(Status.Code.RESOURCE_EXHAUSTED, "Throttling",
                () -> identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), genuine)));
        assertEquals(7, intColumn(key.getSerialNumber(), "failed_attempts"));
        assertEquals(2L, userFailures("skzoe"));

        // the hundredth consecutive failure locks the key
        sql("UPDATE mfa_devices SET failed_attempts = 99, last_failed_at = NULL WHERE serial_number = ?",
                key.getSerialNumber());
        StartSecurityKeyAssertionResponse beforeLock = identity.startSecurityKeyAssertion(
                startAssertion(ACCOUNT, "skzoe"));
        failOnce("skzoe", browser);
        assertNotNull(column(key.getSerialNumber(), "locked_at"));
        assertEquals(100, intColumn(key.getSerialNumber(), "failed_attempts"));
        assertError(Status.Code.FAILED_PRECONDITION, "MFADeviceLocked",
                () -> identity.startSecurityKeyAssertion(startAssertion(ACCOUNT, "skzoe")));
        // even a genuine assertion to a challenge issued before the lock is refused, uncounted
        String late = browser.get(beforeLock.getPublicKeyCredentialRequestOptionsJson());
        assertError(Status.Code.FAILED_PRECONDITION, "MFADeviceLocked",
                () -> identity.verifySecurityKeyAssertion(verify(beforeLock.getChallengeId(), late)));
        assertEquals(100, intColumn(key.getSerialNumber(), "failed_attempts"));
        List<String> names = events("skzoe", key.getSerialNumber()).stream().map(MFADeviceEvent::getEventName).toList();
        assertEquals(List.of("VerifySecurityKeyAssertion", "Lock", "FailedAttempt", "VerifySecurityKeyAssertion",
                "FailedAttempt", "EnableMFADevice"), names);

        // users cannot unlock themselves; an admin can, which clears the key and the user
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> devices(TestTokens.userToken("skzoe"))
                .unlockMFADevice(UnlockMFADeviceRequest.newBuilder().setSerialNumber(key.getSerialNumber()).build()));
        policy.reset();
        devices(TestTokens.rootToken()).unlockMFADevice(UnlockMFADeviceRequest.newBuilder().setUserName("skzoe")
                .setSerialNumber(key.getSerialNumber()).build());
        assertEquals(new Asked(ARN + "root", "gatekey:UnlockMFADevice", ARN + "user/skzoe"), asked().get(0));
        assertNull(column(key.getSerialNumber(), "locked_at"));
        assertEquals(0L, userFailures("skzoe"));
        assertEquals(key.getSerialNumber(), signIn(ACCOUNT, "skzoe", browser).getSerialNumber());
        assertEquals(0, intColumn(key.getSerialNumber(), "failed_attempts"));
    }

    @Test
    void aUserInBackOffGetsNoChallengeAndASuccessResetsTheUsersCounter() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.u2f(ORIGIN);
        register(keys(TestTokens.userToken("skabe")), "", "skabe-key", browser);
        sql("INSERT INTO mfa_user_failures (account_id, user_key, failed_attempts, last_failed_at) "
                + "VALUES ('" + ACCOUNT + "', ?, 12, now())", "skabe");
        assertError(Status.Code.RESOURCE_EXHAUSTED, "Throttling",
                () -> keysAsIdentity().startSecurityKeyAssertion(startAssertion(ACCOUNT, "skabe")));
        sql("UPDATE mfa_user_failures SET last_failed_at = now() - interval '1 hour' WHERE user_key = ?", "skabe");
        signIn(ACCOUNT, "skabe", browser);
        assertEquals(0L, userFailures("skabe"));
    }

    @Test
    void parallelFailedAssertionsAreEachCountedOnce() throws Exception {
        SecurityKeyBrowser browser = SecurityKeyBrowser.packed(ORIGIN);
        SecurityKey key = register(keys(TestTokens.userToken("skcy")), "", "skcy-key", browser);
        SecurityKeyServiceBlockingStub identity = keysAsIdentity();
        List<String> challenges = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        browser.at("https://gatekey.example.evil");
        for (int i = 0; i < 4; i++) {
            StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(
                    startAssertion(ACCOUNT, "skcy"));
            challenges.add(started.getChallengeId());
            answers.add(browser.get(started.getPublicKeyCredentialRequestOptionsJson()));
        }
        List<String> outcomes = parallel(4, i -> {
            identity.verifySecurityKeyAssertion(verify(challenges.get(i), answers.get(i)));
            return "Success";
        });
        // assertions of one user are decided one after the other (the user's lock): none is lost,
        // none is counted twice, no deadlock
        long counted = Collections.frequency(outcomes, "InvalidAuthenticationCode");
        assertEquals(4, counted, outcomes.toString());
        // every failure the caller was told about is on the key, on the user and in the trail
        assertEquals(counted, intColumn(key.getSerialNumber(), "failed_attempts"));
        assertEquals(counted, userFailures("skcy"));
        assertEquals(counted, events("skcy", key.getSerialNumber()).stream()
                .filter(e -> e.getEventName().equals("FailedAttempt")).count());
    }

    // ---- helpers --------------------------------------------------------------------------

    private void failOnce(String user, SecurityKeyBrowser browser) {
        SecurityKeyServiceBlockingStub identity = keysAsIdentity();
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion(ACCOUNT, user));
        String phished = browser.at("https://gatekey.example.evil").get(started.getPublicKeyCredentialRequestOptionsJson());
        browser.at(ORIGIN);
        assertError(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode",
                () -> identity.verifySecurityKeyAssertion(verify(started.getChallengeId(), phished)));
    }

    private VerifySecurityKeyAssertionResponse signIn(String account, String user, SecurityKeyBrowser browser) {
        SecurityKeyServiceBlockingStub identity = keysAsIdentity();
        StartSecurityKeyAssertionResponse started = identity.startSecurityKeyAssertion(startAssertion(account, user));
        return identity.verifySecurityKeyAssertion(verify(started.getChallengeId(),
                browser.get(started.getPublicKeyCredentialRequestOptionsJson())));
    }

    private static SecurityKey register(SecurityKeyServiceBlockingStub stub, String user, String deviceName,
            SecurityKeyBrowser browser) {
        StartSecurityKeyRegistrationResponse started = stub.startSecurityKeyRegistration(
                StartSecurityKeyRegistrationRequest.newBuilder().setUserName(user).setDeviceName(deviceName).build());
        return stub.finishSecurityKeyRegistration(finish(started.getChallengeId(), user,
                browser.create(started.getPublicKeyCredentialCreationOptionsJson()))).getSecurityKey();
    }

    private static final java.util.Map<String, Totp> SEEDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Totp totp(VirtualMFADevice device) {
        Totp totp = new Totp(Base32.decode(device.getBase32StringSeed().toString(StandardCharsets.US_ASCII)),
                TotpParameters.VIRTUAL_DEVICE);
        SEEDS.put(device.getSerialNumber(), totp);
        return totp;
    }

    private static String totpCodeNow(String serial) {
        Totp totp = SEEDS.get(serial);
        return totp.code(totp.step(Instant.now()));
    }

    /** Creates a virtual device and enables it for {@code user} with two consecutive codes. */
    private static String createAndEnable(MfaDeviceServiceBlockingStub stub, String user, String name) {
        VirtualMFADevice device = stub.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName(name).build()).getVirtualMfaDevice();
        Totp totp = totp(device);
        long step = totp.step(Instant.now());
        stub.enableMFADevice(EnableMFADeviceRequest.newBuilder().setUserName(user)
                .setSerialNumber(device.getSerialNumber()).setAuthenticationCode1(totp.code(step - 1))
                .setAuthenticationCode2(totp.code(step)).build());
        return device.getSerialNumber();
    }

    private List<MFADeviceEvent> events(String user, String serial) {
        var request = ListMFADeviceEventsRequest.newBuilder().setUserName(user);
        if (serial != null) {
            request.setSerialNumber(serial);
        }
        return devices(TestTokens.rootToken()).listMFADeviceEvents(request.build()).getEventsList();
    }

    private SecurityKeyServiceBlockingStub keys(String token) {
        return BearerToken.attach(SecurityKeyServiceGrpc.newBlockingStub(channel), token);
    }

    private MfaDeviceServiceBlockingStub devices(String token) {
        return BearerToken.attach(MfaDeviceServiceGrpc.newBlockingStub(channel), token);
    }

    private SecurityKeyServiceBlockingStub keysAsIdentity() {
        return keys(identityServiceToken());
    }

    private MfaDeviceServiceBlockingStub devicesAsIdentity() {
        return devices(identityServiceToken());
    }

    private static String identityServiceToken() {
        return TestTokens.sign(new Caller("gatekey:service/identity-service", PrincipalType.SERVICE, "", "", "",
                Optional.empty(), Optional.empty(), Instant.now(), null));
    }

    private static String rootToken(String account) {
        return TestTokens.sign(new Caller(IamNames.rootArn(account), PrincipalType.ROOT, account, account, "root",
                Optional.of(false), Optional.empty(), Instant.now(), null));
    }

    private static FinishSecurityKeyRegistrationRequest finish(String challengeId, String user, String json) {
        return FinishSecurityKeyRegistrationRequest.newBuilder().setChallengeId(challengeId).setUserName(user)
                .setRegistrationResponseJson(json).build();
    }

    private static StartSecurityKeyAssertionRequest startAssertion(String account, String user) {
        return StartSecurityKeyAssertionRequest.newBuilder().setAccountId(account).setUserName(user).build();
    }

    private static VerifySecurityKeyAssertionRequest verify(String challengeId, String json) {
        return VerifySecurityKeyAssertionRequest.newBuilder().setChallengeId(challengeId)
                .setAuthenticationResponseJson(json).build();
    }

    private Object column(String serial, String column) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + column + " FROM mfa_devices WHERE serial_number = ?")) {
            s.setString(1, serial);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getObject(1) : null;
            }
        }
    }

    private int intColumn(String serial, String column) throws Exception {
        return ((Number) column(serial, column)).intValue();
    }

    private long userFailures(String userKey) throws Exception {
        return count("SELECT coalesce(max(failed_attempts), 0) FROM mfa_user_failures WHERE account_id = '"
                + ACCOUNT + "' AND user_key = ?", userKey);
    }

    private long count(String query, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return ((Number) r.getObject(1)).longValue();
            }
        }
    }

    private void sql(String statement, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, parameter);
            assertEquals(1, s.executeUpdate(), statement);
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
}
