package dev.gatekey.mfa.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.gatekey.mfa.domain.Base32;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.EnableMFADeviceRequest;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub;
import dev.gatekey.mfa.v1.Tag;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VerifyTotpResponse;
import dev.gatekey.mfa.v1.VirtualMFADevice;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The service over gRPC against a real PostgreSQL, with tokens as identity-service signs them. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MfaDeviceGrpcServiceTest {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;
    private static final String IDENTITY_SERVICE = "gatekey:service/identity-service";

    /** An authorization question, by the caller's principal ARN. */
    private record Asked(String principalArn, String action, String resource) {
    }

    @Inject
    RecordingPolicyEnforcer policy;
    @Inject
    DataSource dataSource;

    private ManagedChannel channel;
    private MfaDeviceServiceBlockingStub anonymous;

    @BeforeEach
    void connect() {
        policy.reset();
        channel = ManagedChannelBuilder.forAddress("localhost", 19092).usePlaintext().build();
        anonymous = MfaDeviceServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    // ---- the thin flow ------------------------------------------------------------------

    @Test
    void aliceCreatesEnablesListsAndSignsInOnceWithACode() throws Exception {
        MfaDeviceServiceBlockingStub alice = as(TestTokens.userToken("alice"));
        VirtualMFADevice device = alice.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName("alice-phone")
                .addTags(Tag.newBuilder().setKey("team").setValue("platform"))
                .build()).getVirtualMfaDevice();

        String serial = "arn:aws:iam::" + ACCOUNT + ":mfa/alice-phone";
        assertEquals(serial, device.getSerialNumber());
        String base32 = device.getBase32StringSeed().toString(StandardCharsets.US_ASCII);
        assertTrue(base32.matches("[A-Z2-7]{32}"), "160-bit seed in Base32 without padding");
        assertEquals("otpauth://totp/alice-phone@" + ACCOUNT + "?secret=" + base32 + "&issuer=Gatekey",
                device.getOtpauthUri());
        assertEquals(device.getOtpauthUri(), decodeQr(device.getQrCodePng().toByteArray()));
        assertEquals("platform", device.getTags(0).getValue());
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT t.tag_key, t.tag_value FROM mfa_device_tags t JOIN mfa_devices d ON d.id = t.device_id "
                        + "WHERE d.serial_number = ?")) {
            q.setString(1, device.getSerialNumber());
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next(), "the tag is stored");
                assertEquals("team=platform", r.getString(1) + "=" + r.getString(2));
                assertFalse(r.next());
            }
        }
        assertEquals(List.of(new Asked("arn:aws:iam::" + ACCOUNT + ":user/alice",
                "iam:CreateVirtualMFADevice", serial)), asked());

        Totp totp = totpOf(device);
        long step = totp.step(Instant.now());
        alice.enableMFADevice(EnableMFADeviceRequest.newBuilder().setSerialNumber(serial)
                .setAuthenticationCode1(totp.code(step - 1)).setAuthenticationCode2(totp.code(step)).build());
        assertEquals(new Asked("arn:aws:iam::" + ACCOUNT + ":user/alice",
                "iam:EnableMFADevice", "arn:aws:iam::" + ACCOUNT + ":user/alice"), asked().get(1));

        var listed = alice.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesList();
        assertEquals(1, listed.size());
        assertEquals("alice", listed.get(0).getUserName());
        assertEquals(serial, listed.get(0).getSerialNumber());
        Instant enabled = Instant.ofEpochSecond(listed.get(0).getEnableDate().getSeconds());
        assertTrue(Duration.between(enabled, Instant.now()).abs().getSeconds() < 60, "enable date is now");
        assertEquals(new Asked("arn:aws:iam::" + ACCOUNT + ":user/alice",
                "iam:ListMFADevices", "arn:aws:iam::" + ACCOUNT + ":user/alice"), asked().get(2));

        // The code of the enablement itself is used up; the device's next code signs in once.
        MfaDeviceServiceBlockingStub identity = as(identityServiceToken());
        assertInvalidCode(() -> identity.verifyTotp(verify("alice", serial, totp.code(step))));
        Instant before = Instant.now().minusSeconds(1);
        VerifyTotpResponse verified = identity.verifyTotp(verify("alice", serial, totp.code(step + 1)));
        assertEquals(serial, verified.getSerialNumber());
        assertFalse(Instant.ofEpochSecond(verified.getAuthenticatedAt().getSeconds()).isBefore(before.minusSeconds(1)));
        assertEquals(0, (int) column(serial, "failed_attempts"), "a success resets the failure counter");
        assertInvalidCode(() -> identity.verifyTotp(verify("alice", serial, totp.code(step + 1))));
        assertEquals(1, (int) column(serial, "failed_attempts"), "a replay counts as a failure");
        assertEquals(0, asked().stream().filter(a -> a.principalArn().equals(IDENTITY_SERVICE)).count(),
                "VerifyTotp is not a policy decision");
    }

    @Test
    void concurrentIdenticalCodesPassExactlyOnce() throws Exception {
        String serial = enabledDevice("carol", "carol-phone");
        Totp totp = totpOf(serial);
        String code = totp.code(totp.step(Instant.now()) + 1);
        MfaDeviceServiceBlockingStub identity = as(identityServiceToken());

        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<StatusRuntimeException>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                Callable<Optional<StatusRuntimeException>> attempt = () -> {
                    start.await();
                    try {
                        identity.verifyTotp(verify("carol", serial, code));
                        return Optional.empty();
                    } catch (StatusRuntimeException e) {
                        return Optional.of(e);
                    }
                };
                results.add(pool.submit(attempt));
            }
            start.countDown();
            int successes = 0;
            int counted = 0;
            for (var result : results) {
                Optional<StatusRuntimeException> failure = result.get();
                if (failure.isEmpty()) {
                    successes++;
                } else if ("InvalidAuthenticationCode".equals(GrpcErrors.reason(failure.get()))) {
                    assertEquals(Status.Code.UNAUTHENTICATED, failure.get().getStatus().getCode());
                    counted++;
                } else {
                    // lost the compare-and-set on the failure counter to a concurrent replay
                    assertEquals("Throttling", GrpcErrors.reason(failure.get()));
                }
            }
            assertEquals(1, successes);
            assertEquals(counted, (int) column(serial, "failed_attempts"), "each counted replay is a failure");
            assertTrue(counted >= 1, "at least one replay was counted");
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- enablement rules ---------------------------------------------------------------

    @Test
    void wrongCodesAtEnablementLeaveTheDeviceUnassigned() throws Exception {
        MfaDeviceServiceBlockingStub dave = as(TestTokens.userToken("dave"));
        VirtualMFADevice device = create(dave, "dave-phone");
        String serial = device.getSerialNumber();
        Totp totp = totpOf(device);
        long step = totp.step(Instant.now());

        assertInvalidCode(() -> dave.enableMFADevice(enable("", serial, totp.code(step), totp.code(step))));
        assertInvalidCode(() -> dave.enableMFADevice(enable("", serial, totp.code(step - 2), totp.code(step))));
        assertInvalidCode(() -> dave.enableMFADevice(enable("", serial, totp.code(step), totp.code(step - 1))));
        assertInvalidCode(() -> dave.enableMFADevice(enable("", serial, totp.code(step + 20), totp.code(step + 21))));
        assertInvalidCode(() -> dave.enableMFADevice(enable("", serial, wrong(totp.code(step - 1)), totp.code(step))));
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError",
                () -> dave.enableMFADevice(enable("", serial, "12345", totp.code(step))));
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError",
                () -> dave.enableMFADevice(enable("", serial, totp.code(step - 1), "12a456")));

        assertNull(column(serial, "user_name"));
        assertNull(column(serial, "enable_date"));
        assertEquals(0, dave.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesCount());
    }

    @Test
    void anAssignedDeviceCannotBeEnabledAgain() throws Exception {
        String serial = enabledDevice("frank", "frank-phone");
        Totp totp = totpOf(serial);
        long step = totp.step(Instant.now());
        assertError(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists", () -> as(TestTokens.userToken("gina"))
                .enableMFADevice(enable("", serial, totp.code(step - 3), totp.code(step - 2))));
        assertEquals("frank", column(serial, "user_name"));
    }

    @Test
    void aDeviceOfAnotherAccountOrUnknownSerialIsNoSuchEntity() throws Exception {
        String serial = create(as(TestTokens.userToken("henry")), "henry-phone").getSerialNumber();
        String otherAccount = TestTokens.sign(new Caller("arn:aws:iam::210987654321:user/henry", PrincipalType.USER,
                "210987654321", "AIDAOTHER", "henry", Optional.of(false), Optional.empty(), Instant.now(), null));
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity",
                () -> as(otherAccount).enableMFADevice(enable("", serial, "123456", "234567")));
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity", () -> as(TestTokens.userToken("henry"))
                .enableMFADevice(enable("", serial + "-nope", "123456", "234567")));
    }

    @Test
    void atMostEightDevicesPerUser() throws Exception {
        MfaDeviceServiceBlockingStub root = as(TestTokens.rootToken());
        for (int i = 1; i <= 8; i++) {
            enable(root, "ivan", create(root, "ivan-" + i));
        }
        VirtualMFADevice ninth = create(root, "ivan-9");
        Totp totp = totpOf(ninth);
        long step = totp.step(Instant.now());
        assertError(Status.Code.RESOURCE_EXHAUSTED, "LimitExceeded", () -> root.enableMFADevice(
                enable("ivan", ninth.getSerialNumber(), totp.code(step - 1), totp.code(step))));
        assertEquals(8, root.listMFADevices(ListMFADevicesRequest.newBuilder().setUserName("ivan").build())
                .getMfaDevicesCount());
        assertNull(column(ninth.getSerialNumber(), "user_name"));
    }

    @Test
    void rootManagesUsersDevicesAndItsOwn() throws Exception {
        MfaDeviceServiceBlockingStub root = as(TestTokens.rootToken());
        VirtualMFADevice own = create(root, "root-phone");
        enable(root, "", own);
        var rootDevices = root.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesList();
        assertEquals(1, rootDevices.size());
        assertEquals("", rootDevices.get(0).getUserName(), "the root user has no user name");
        assertEquals(own.getSerialNumber(), rootDevices.get(0).getSerialNumber());
        assertEquals(new Asked("arn:aws:iam::" + ACCOUNT + ":root", "iam:EnableMFADevice",
                "arn:aws:iam::" + ACCOUNT + ":root"), asked().get(1));

        VirtualMFADevice device = create(root, "erin-phone");
        Totp totp = totpOf(device);
        long step = totp.step(Instant.now());
        policy.reset();
        root.enableMFADevice(enable("erin", device.getSerialNumber(), totp.code(step - 1), totp.code(step)));
        assertEquals(List.of(new Asked("arn:aws:iam::" + ACCOUNT + ":root",
                "iam:EnableMFADevice", "arn:aws:iam::" + ACCOUNT + ":user/erin")), asked());
        assertEquals("erin", as(TestTokens.userToken("erin")).listMFADevices(ListMFADevicesRequest.getDefaultInstance())
                .getMfaDevices(0).getUserName());
    }

    // ---- creation rules -----------------------------------------------------------------

    @Test
    void deviceNamesAreUniquePerAccountIgnoringCase() {
        MfaDeviceServiceBlockingStub kim = as(TestTokens.userToken("kim"));
        create(kim, "kim-phone");
        assertError(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists", () -> create(kim, "kim-phone"));
        assertError(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists", () -> create(kim, "KIM-Phone"));
        assertError(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists", () -> kim.createVirtualMFADevice(
                CreateVirtualMFADeviceRequest.newBuilder().setVirtualMfaDeviceName("kim-phone").setPath("/x/").build()));
    }

    @Test
    void invalidNamesPathsAndTagsAreValidationErrors() {
        MfaDeviceServiceBlockingStub kim = as(TestTokens.userToken("kim"));
        assertInvalid("virtualMFADeviceName", () -> create(kim, ""));
        assertInvalid("virtualMFADeviceName", () -> create(kim, "has space"));
        assertInvalid("virtualMFADeviceName", () -> create(kim, "x".repeat(227)));
        assertInvalid("path", () -> kim.createVirtualMFADevice(
                CreateVirtualMFADeviceRequest.newBuilder().setVirtualMfaDeviceName("ok").setPath("/no-slash").build()));
        var tooMany = CreateVirtualMFADeviceRequest.newBuilder().setVirtualMfaDeviceName("ok");
        for (int i = 0; i < 51; i++) {
            tooMany.addTags(Tag.newBuilder().setKey("k" + i).setValue("v"));
        }
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> kim.createVirtualMFADevice(tooMany.build()));
        assertTrue(asked().isEmpty(), "invalid input is refused before authorization");
    }

    @Test
    void theStoredSeedIsEncrypted() throws Exception {
        VirtualMFADevice device = create(as(TestTokens.userToken("leo")), "leo-phone");
        byte[] seed = Base32.decode(device.getBase32StringSeed().toString(StandardCharsets.US_ASCII));
        byte[] stored = (byte[]) column(device.getSerialNumber(), "seed_ciphertext");
        assertEquals(seed.length + 16, stored.length);
        assertFalse(java.util.Arrays.equals(seed, java.util.Arrays.copyOf(stored, seed.length)));
        String storedText = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(storedText.contains(device.getBase32StringSeed().toString(StandardCharsets.US_ASCII)));
        assertEquals("test1", column(device.getSerialNumber(), "seed_key_id"));
        assertEquals(12, ((byte[]) column(device.getSerialNumber(), "seed_nonce")).length);
    }

    // ---- authorization ------------------------------------------------------------------

    @Test
    void aPolicyDenyIsAccessDeniedAndChangesNothing() throws Exception {
        MfaDeviceServiceBlockingStub mia = as(TestTokens.userToken("mia"));
        policy.allow(false);
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> create(mia, "mia-phone"));
        assertNull(column("arn:aws:iam::" + ACCOUNT + ":mfa/mia-phone", "id"), "no device was created");

        policy.allow(true);
        VirtualMFADevice device = create(mia, "mia-phone");
        Totp totp = totpOf(device);
        long step = totp.step(Instant.now());
        policy.reset();
        policy.allow(false);
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> mia.enableMFADevice(
                enable("", device.getSerialNumber(), totp.code(step - 1), totp.code(step))));
        assertEquals(List.of(new Asked("arn:aws:iam::" + ACCOUNT + ":user/mia",
                "iam:EnableMFADevice", "arn:aws:iam::" + ACCOUNT + ":user/mia")), asked());
        assertNull(column(device.getSerialNumber(), "user_name"));
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied",
                () -> mia.listMFADevices(ListMFADevicesRequest.newBuilder().setUserName("nora").build()));
        assertEquals(new Asked("arn:aws:iam::" + ACCOUNT + ":user/mia",
                "iam:ListMFADevices", "arn:aws:iam::" + ACCOUNT + ":user/nora"), asked().get(1));
    }

    @Test
    void onlyIdentityServiceMayVerifyCodes() throws Exception {
        String serial = enabledDevice("olga", "olga-phone");
        Totp totp = totpOf(serial);
        String code = totp.code(totp.step(Instant.now()) + 1);
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied",
                () -> as(TestTokens.userToken("olga")).verifyTotp(verify("olga", serial, code)));
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied",
                () -> as(TestTokens.rootToken()).verifyTotp(verify("olga", serial, code)));
        String otherService = serviceToken("gatekey:service/policy-service");
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied",
                () -> as(otherService).verifyTotp(verify("olga", serial, code)));

        // A device that is not the named user's gives the same answer as a wrong code.
        MfaDeviceServiceBlockingStub identity = as(identityServiceToken());
        assertInvalidCode(() -> identity.verifyTotp(verify("peter", serial, code)));
        assertInvalidCode(() -> identity.verifyTotp(verify("olga", serial + "x", code)));
        assertInvalidCode(() -> identity.verifyTotp(verify("olga", serial, wrong(code))));
        assertInvalidCode(() -> identity.verifyTotp(verify("olga", serial, "abc")));
        assertEquals(2, (int) column(serial, "failed_attempts"), "failures on the user's device are counted");
        // the code was never accepted, so it still works
        assertEquals(serial, identity.verifyTotp(verify("olga", serial, code)).getSerialNumber());
    }

    @Test
    void everyCallNeedsAToken() {
        assertError(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken", () -> anonymous.createVirtualMFADevice(
                CreateVirtualMFADeviceRequest.newBuilder().setVirtualMfaDeviceName("anon").build()));
        assertError(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken",
                () -> anonymous.enableMFADevice(enable("x", "arn:aws:iam::" + ACCOUNT + ":mfa/anon", "123456", "234567")));
        assertError(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken",
                () -> anonymous.listMFADevices(ListMFADevicesRequest.getDefaultInstance()));
        assertError(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken",
                () -> anonymous.verifyTotp(verify("x", "arn:aws:iam::" + ACCOUNT + ":mfa/anon", "123456")));
        assertError(Status.Code.UNAUTHENTICATED, "InvalidClientTokenId",
                () -> as("not-a-jwt").listMFADevices(ListMFADevicesRequest.getDefaultInstance()));
        assertTrue(asked().isEmpty());
    }

    // ---- helpers --------------------------------------------------------------------------

    private MfaDeviceServiceBlockingStub as(String token) {
        return BearerToken.attach(anonymous, token);
    }

    private static String identityServiceToken() {
        return serviceToken(IDENTITY_SERVICE);
    }

    /** A service principal belongs to no account and no user (empty claims: JWT claims cannot be null). */
    private static String serviceToken(String principalArn) {
        return TestTokens.sign(new Caller(principalArn, PrincipalType.SERVICE, "", "", "", Optional.empty(),
                Optional.empty(), Instant.now(), null));
    }

    private static VirtualMFADevice create(MfaDeviceServiceBlockingStub stub, String name) {
        VirtualMFADevice device = stub.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName(name).build()).getVirtualMfaDevice();
        SEEDS.put(device.getSerialNumber(), totpOf(device));
        return device;
    }

    /** Creates and enables a device as {@code user}, with the previous and the current code. */
    private String enabledDevice(String user, String name) {
        MfaDeviceServiceBlockingStub stub = as(TestTokens.userToken(user));
        VirtualMFADevice device = create(stub, name);
        enable(stub, "", device);
        return device.getSerialNumber();
    }

    private static void enable(MfaDeviceServiceBlockingStub stub, String user, VirtualMFADevice device) {
        Totp totp = totpOf(device);
        long step = totp.step(Instant.now());
        stub.enableMFADevice(enable(user, device.getSerialNumber(), totp.code(step - 1), totp.code(step)));
    }

    private static EnableMFADeviceRequest enable(String user, String serial, String code1, String code2) {
        return EnableMFADeviceRequest.newBuilder().setUserName(user).setSerialNumber(serial)
                .setAuthenticationCode1(code1).setAuthenticationCode2(code2).build();
    }

    private static VerifyTotpRequest verify(String user, String serial, String code) {
        return VerifyTotpRequest.newBuilder().setAccountId(ACCOUNT).setUserName(user).setSerialNumber(serial)
                .setAuthenticationCode(code).build();
    }

    private static Totp totpOf(VirtualMFADevice device) {
        return new Totp(Base32.decode(device.getBase32StringSeed().toString(StandardCharsets.US_ASCII)),
                TotpParameters.VIRTUAL_DEVICE);
    }

    /** Seeds of devices created in this test class, by serial (the service never returns them again). */
    private static final java.util.Map<String, Totp> SEEDS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Totp totpOf(String serial) {
        return java.util.Objects.requireNonNull(SEEDS.get(serial), serial);
    }

    private static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private static String decodeQr(byte[] png) throws Exception {
        var image = ImageIO.read(new ByteArrayInputStream(png));
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
                .getText();
    }

    private Object column(String serial, String column) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM mfa_devices WHERE serial_number = ?")) {
            s.setString(1, serial);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getObject(1) : null;
            }
        }
    }

    private static void assertInvalidCode(Executable call) {
        assertError(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode", call);
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
        assertNotNull(e.getStatus().getDescription());
        return e;
    }

    /** AWS's ValidationError, naming the offending request parameter. */
    private static void assertInvalid(String parameter, Executable call) {
        String description = assertError(Status.Code.INVALID_ARGUMENT, "ValidationError", call).getStatus()
                .getDescription();
        assertTrue(description.startsWith("1 validation error detected: Value ")
                && description.contains(" at '" + parameter + "' failed to satisfy constraint: Member must "),
                description);
    }
}
