package dev.gatekey.mfa.grpc;

import static dev.gatekey.mfa.grpc.ParallelAttempts.parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import dev.gatekey.mfa.domain.Base32;
import dev.gatekey.mfa.domain.EncryptedSeed;
import dev.gatekey.mfa.domain.HmacAlgorithm;
import dev.gatekey.mfa.domain.PskcDocumentTest;
import dev.gatekey.mfa.domain.SeedCipher;
import dev.gatekey.mfa.domain.Totp;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.v1.AssignmentStatus;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.DeactivateMFADeviceRequest;
import dev.gatekey.mfa.v1.DeleteVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.EnableMFADeviceRequest;
import dev.gatekey.mfa.v1.GetAccountMfaSummaryRequest;
import dev.gatekey.mfa.v1.GetMFADeviceRequest;
import dev.gatekey.mfa.v1.ImportHardwareMFADevicesRequest;
import dev.gatekey.mfa.v1.ListMFADeviceEventsRequest;
import dev.gatekey.mfa.v1.ListMFADeviceTagsRequest;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.ListVirtualMFADevicesRequest;
import dev.gatekey.mfa.v1.ListVirtualMFADevicesResponse;
import dev.gatekey.mfa.v1.MFADevice;
import dev.gatekey.mfa.v1.MFADeviceEvent;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub;
import dev.gatekey.mfa.v1.MfaDeviceType;
import dev.gatekey.mfa.v1.RegisterHardwareMFADeviceRequest;
import dev.gatekey.mfa.v1.RenameUserRequest;
import dev.gatekey.mfa.v1.ResyncMFADeviceRequest;
import dev.gatekey.mfa.v1.RotateSeedKeysRequest;
import dev.gatekey.mfa.v1.Tag;
import dev.gatekey.mfa.v1.TagMFADeviceRequest;
import dev.gatekey.mfa.v1.UnlockMFADeviceRequest;
import dev.gatekey.mfa.v1.UntagMFADeviceRequest;
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
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The device lifecycle over gRPC on a real PostgreSQL: resync, deactivate, delete, listing with
 * paging, tags, hardware tokens and PSKC import, brute-force defence (also in parallel),
 * unlock, audit trail, seed rotation, account summary and rename.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MfaDeviceLifecycleTest {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;
    private static final String ARN = "arn:aws:iam::" + ACCOUNT + ":";
    private static final Map<String, Totp> SEEDS = new ConcurrentHashMap<>();

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

    // ---- resync, deactivate, delete, get --------------------------------------------------

    @Test
    void resyncDeactivateAndDeleteWithAwsSemantics() throws Exception {
        MfaDeviceServiceBlockingStub uma = user("uma");
        VirtualMFADevice device = create(uma, "uma-phone");
        String serial = device.getSerialNumber();
        Totp totp = SEEDS.get(serial);
        long step = enable(uma, "", serial);

        policy.reset();
        uma.resyncMFADevice(ResyncMFADeviceRequest.newBuilder().setSerialNumber(serial)
                .setAuthenticationCode1(totp.code(step + 1)).setAuthenticationCode2(totp.code(step + 2)).build());
        assertEquals(new Asked(ARN + "user/uma", "iam:ResyncMFADevice", ARN + "user/uma"), asked().get(0));
        assertEquals(step + 2, ((Number) column(serial, "last_used_step")).longValue());
        // the same pair again is a replay: refused and counted
        assertInvalidCode(() -> uma.resyncMFADevice(ResyncMFADeviceRequest.newBuilder().setSerialNumber(serial)
                .setAuthenticationCode1(totp.code(step + 1)).setAuthenticationCode2(totp.code(step + 2)).build()));
        assertEquals(1, column(serial, "failed_attempts"));
        // a sign-in code after the resynced one works
        assertEquals(serial, identity().verifyTotp(verify("uma", serial, totp.code(step + 3))).getSerialNumber());

        var got = uma.getMFADevice(GetMFADeviceRequest.newBuilder().setSerialNumber(serial).build());
        assertEquals("uma", got.getUserName());
        assertEquals(MfaDeviceType.MFA_DEVICE_TYPE_VIRTUAL, got.getDeviceType());
        assertTrue(got.getEnableDate().getSeconds() > 0);

        assertError(Status.Code.FAILED_PRECONDITION, "DeleteConflict", () -> uma.deleteVirtualMFADevice(
                DeleteVirtualMFADeviceRequest.newBuilder().setSerialNumber(serial).build()));
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity", () -> uma.deactivateMFADevice(
                DeactivateMFADeviceRequest.newBuilder().setUserName("someone-else").setSerialNumber(serial).build()));
        policy.reset();
        uma.deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder().setSerialNumber(serial).build());
        assertEquals(new Asked(ARN + "user/uma", "iam:DeactivateMFADevice", ARN + "user/uma"), asked().get(0));
        assertNull(column(serial, "user_name"));
        assertEquals(0, uma.listMFADevices(ListMFADevicesRequest.getDefaultInstance()).getMfaDevicesCount());
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity",
                () -> uma.getMFADevice(GetMFADeviceRequest.newBuilder().setSerialNumber(serial).build()));

        policy.reset();
        uma.deleteVirtualMFADevice(DeleteVirtualMFADeviceRequest.newBuilder().setSerialNumber(serial).build());
        assertEquals(new Asked(ARN + "user/uma", "iam:DeleteVirtualMFADevice", serial), asked().get(0));
        assertNull(column(serial, "id"));
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity", () -> uma.deleteVirtualMFADevice(
                DeleteVirtualMFADeviceRequest.newBuilder().setSerialNumber(serial).build()));
    }

    @Test
    void anAdminDeactivatesAnotherUsersDevice() throws Exception {
        String serial = enabledDevice("vera", "vera-phone");
        MfaDeviceServiceBlockingStub admin = user("admin-vic");
        policy.reset();
        admin.deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder().setUserName("vera")
                .setSerialNumber(serial).build());
        assertEquals(new Asked(ARN + "user/admin-vic", "iam:DeactivateMFADevice", ARN + "user/vera"), asked().get(0));
        assertNull(column(serial, "user_name"));
        MFADeviceEvent event = root().listMFADeviceEvents(ListMFADeviceEventsRequest.newBuilder()
                .setSerialNumber(serial).setMaxItems(1).build()).getEvents(0);
        assertEquals("DeactivateMFADevice", event.getEventName());
        assertEquals(ARN + "user/admin-vic", event.getPrincipalArn());
        assertEquals("vera", event.getUserName());
        assertEquals("Success", event.getOutcome());
    }

    // ---- listing --------------------------------------------------------------------------

    @Test
    void listVirtualDevicesByAssignmentWithPagingAndNeverTheSeed() throws Exception {
        String account = "222222222222";
        MfaDeviceServiceBlockingStub admin = as(TestTokens.sign(new Caller(IamNames.userArn(account, "ada"),
                PrincipalType.USER, account, "AIDAADA", "ada", Optional.of(false), Optional.empty(), Instant.now(),
                null)));
        List<String> serials = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            serials.add(create(admin, "lv-" + i).getSerialNumber());
        }
        enable(admin, "", serials.get(1));
        enable(admin, "bo", serials.get(3));

        policy.reset();
        var assigned = admin.listVirtualMFADevices(ListVirtualMFADevicesRequest.newBuilder()
                .setAssignmentStatus(AssignmentStatus.ASSIGNMENT_STATUS_ASSIGNED).build());
        assertEquals(new Asked("arn:aws:iam::" + account + ":user/ada", "iam:ListVirtualMFADevices", "*"),
                asked().get(0));
        assertEquals(List.of(serials.get(1), serials.get(3)),
                assigned.getVirtualMfaDevicesList().stream().map(VirtualMFADevice::getSerialNumber).toList());
        assertEquals("ada", assigned.getVirtualMfaDevices(0).getUser().getUserName());
        assertEquals("arn:aws:iam::" + account + ":user/bo", assigned.getVirtualMfaDevices(1).getUser().getArn());
        assertTrue(assigned.getVirtualMfaDevices(0).hasEnableDate());
        assertFalse(assigned.getIsTruncated());

        var unassigned = admin.listVirtualMFADevices(ListVirtualMFADevicesRequest.newBuilder()
                .setAssignmentStatus(AssignmentStatus.ASSIGNMENT_STATUS_UNASSIGNED).build());
        assertEquals(3, unassigned.getVirtualMfaDevicesCount());
        assertFalse(unassigned.getVirtualMfaDevices(0).hasUser());

        List<String> paged = new ArrayList<>();
        String marker = "";
        int pages = 0;
        do {
            ListVirtualMFADevicesResponse page = admin.listVirtualMFADevices(ListVirtualMFADevicesRequest.newBuilder()
                    .setAssignmentStatus(AssignmentStatus.ASSIGNMENT_STATUS_ANY).setMaxItems(2).setMarker(marker)
                    .build());
            for (VirtualMFADevice d : page.getVirtualMfaDevicesList()) {
                paged.add(d.getSerialNumber());
                assertTrue(d.getBase32StringSeed().isEmpty() && d.getQrCodePng().isEmpty()
                        && d.getOtpauthUri().isEmpty(), "no seed after creation");
            }
            marker = page.getIsTruncated() ? page.getMarker() : "";
            pages++;
        } while (!marker.isEmpty());
        assertEquals(3, pages);
        assertEquals(serials.stream().sorted().toList(), paged);
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> admin.listVirtualMFADevices(
                ListVirtualMFADevicesRequest.newBuilder().setMaxItems(1001).build()));
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> admin.listVirtualMFADevices(
                ListVirtualMFADevicesRequest.newBuilder().setMarker("!!not-base64!!").build()));
    }

    @Test
    void listMfaDevicesShowsEveryTypeAndTheLimitCountsSecurityKeys() throws Exception {
        for (int i = 1; i <= 7; i++) {
            insertSecurityKey("zed", ARN + "u2f/user/zed/key-" + i);
        }
        MfaDeviceServiceBlockingStub zed = user("zed");
        String eighth = create(zed, "zed-phone").getSerialNumber();
        enable(zed, "", eighth);
        String ninth = create(zed, "zed-tablet").getSerialNumber();
        Totp totp = SEEDS.get(ninth);
        long step = totp.step(Instant.now());
        assertError(Status.Code.RESOURCE_EXHAUSTED, "LimitExceeded", () -> zed.enableMFADevice(
                enableRequest("", ninth, totp.code(step - 1), totp.code(step))));

        List<MFADevice> all = new ArrayList<>();
        String marker = "";
        do {
            var page = zed.listMFADevices(ListMFADevicesRequest.newBuilder().setMaxItems(3).setMarker(marker).build());
            all.addAll(page.getMfaDevicesList());
            marker = page.getIsTruncated() ? page.getMarker() : "";
        } while (!marker.isEmpty());
        assertEquals(8, all.size());
        assertEquals(7, all.stream().filter(d -> d.getDeviceType() == MfaDeviceType.MFA_DEVICE_TYPE_SECURITY_KEY)
                .count());
        assertEquals(eighth, all.get(7).getSerialNumber());

        // deactivating a security key removes it (and frees a place)
        zed.deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder().setSerialNumber(ARN + "u2f/user/zed/key-1")
                .build());
        assertNull(column(ARN + "u2f/user/zed/key-1", "id"));
        zed.enableMFADevice(enableRequest("", ninth, totp.code(step - 1), totp.code(step)));
        assertError(Status.Code.INVALID_ARGUMENT, "InvalidInput", () -> zed.enableMFADevice(
                enableRequest("", ARN + "u2f/user/zed/key-2", "123456", "234567")));
    }

    // ---- tags -----------------------------------------------------------------------------

    @Test
    void tagUntagAndListTagsOfADevice() throws Exception {
        MfaDeviceServiceBlockingStub tia = user("tia");
        String serial = tia.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName("tia-phone").addTags(tag("team", "a")).addTags(tag("cost", "1")).build())
                .getVirtualMfaDevice().getSerialNumber();
        policy.reset();
        tia.tagMFADevice(TagMFADeviceRequest.newBuilder().setSerialNumber(serial)
                .addTags(tag("team", "b")).addTags(tag("env", "prod")).build());
        assertEquals(new Asked(ARN + "user/tia", "iam:TagMFADevice", serial), asked().get(0));
        tia.untagMFADevice(UntagMFADeviceRequest.newBuilder().setSerialNumber(serial).addTagKeys("cost")
                .addTagKeys("absent").build());
        var tags = tia.listMFADeviceTags(ListMFADeviceTagsRequest.newBuilder().setSerialNumber(serial).build());
        assertEquals(List.of("env=prod", "team=b"),
                tags.getTagsList().stream().map(t -> t.getKey() + "=" + t.getValue()).toList());
        var page = tia.listMFADeviceTags(ListMFADeviceTagsRequest.newBuilder().setSerialNumber(serial)
                .setMaxItems(1).build());
        assertTrue(page.getIsTruncated());
        assertEquals("team", tia.listMFADeviceTags(ListMFADeviceTagsRequest.newBuilder().setSerialNumber(serial)
                .setMarker(page.getMarker()).build()).getTags(0).getKey());

        var tooMany = TagMFADeviceRequest.newBuilder().setSerialNumber(serial);
        for (int i = 0; i < 49; i++) {
            tooMany.addTags(tag("k" + i, "v"));
        }
        assertError(Status.Code.RESOURCE_EXHAUSTED, "LimitExceeded", () -> tia.tagMFADevice(tooMany.build()));
        assertEquals(2, tia.listMFADeviceTags(ListMFADeviceTagsRequest.newBuilder().setSerialNumber(serial).build())
                .getTagsCount(), "nothing changed");
        assertError(Status.Code.NOT_FOUND, "NoSuchEntity", () -> tia.tagMFADevice(TagMFADeviceRequest.newBuilder()
                .setSerialNumber(serial + "-nope").addTags(tag("a", "b")).build()));
    }

    // ---- brute-force defence ------------------------------------------------------------

    @Test
    void failuresBackOffExponentiallyAndAreCountedPerDeviceAndUser() throws Exception {
        String serial = enabledDevice("wes", "wes-phone");
        Totp totp = SEEDS.get(serial);
        String good = totp.code(totp.step(Instant.now()) + 1);
        for (int i = 0; i < 5; i++) {
            assertInvalidCode(() -> identity().verifyTotp(verify("wes", serial, wrong(good))));
        }
        assertEquals(5, column(serial, "failed_attempts"));
        assertEquals(5, userFailures("wes"));
        // the sixth attempt comes too soon: not even the right code is considered
        StatusRuntimeException throttled = assertError(Status.Code.RESOURCE_EXHAUSTED, "Throttling",
                () -> identity().verifyTotp(verify("wes", serial, good)));
        assertEquals("1", errorInfo(throttled).getMetadataOrThrow("retryAfterSeconds"));
        assertEquals(5, column(serial, "failed_attempts"), "a throttled attempt is not an attempt");

        // once the back-off has passed, the right code signs in and resets both counters
        sql("UPDATE mfa_devices SET last_failed_at = now() - interval '1 hour' WHERE serial_number = ?", serial);
        identity().verifyTotp(verify("wes", serial, good));
        assertEquals(0, column(serial, "failed_attempts"));
        assertEquals(0, userFailures("wes"));
    }

    @Test
    void theUsersCounterThrottlesAcrossAllItsDevices() throws Exception {
        String first = enabledDevice("xia", "xia-phone");
        String second = enabledDevice("xia", "xia-tablet");
        for (String serial : List.of(first, second, first, second)) {
            assertInvalidCode(() -> identity().verifyTotp(verify("xia", serial, "000000")));
        }
        assertEquals(4, userFailures("xia"));
        assertEquals(2, column(first, "failed_attempts"));
        sql("UPDATE mfa_user_failures SET failed_attempts = 12, last_failed_at = now() WHERE user_key = ?", "xia");
        Totp totp = SEEDS.get(second);
        String good = totp.code(totp.step(Instant.now()) + 1);
        assertError(Status.Code.RESOURCE_EXHAUSTED, "Throttling", () -> identity().verifyTotp(verify("xia", second, good)));
        sql("UPDATE mfa_user_failures SET last_failed_at = now() - interval '1 hour' WHERE user_key = ?", "xia");
        identity().verifyTotp(verify("xia", second, good));
        assertEquals(0, userFailures("xia"));
    }

    @Test
    void parallelGuessesCannotPassTheHundredthFailure() throws Exception {
        String serial = enabledDevice("yann", "yann-phone");
        Totp totp = SEEDS.get(serial);
        long step = totp.step(Instant.now());
        sql("UPDATE mfa_devices SET failed_attempts = 99, last_failed_at = now() - interval '1 day' "
                + "WHERE serial_number = ?", serial);

        int threads = 24;
        List<String> outcomes = parallel(threads, i -> {
            identity().verifyTotp(verify("yann", serial, wrong(totp.code(step + 1 + i % 2))));
            return "Success";
        });
        assertEquals(1, outcomes.stream().filter("InvalidAuthenticationCode"::equals).count(), outcomes.toString());
        assertEquals(0, outcomes.stream().filter("Success"::equals).count());
        assertTrue(outcomes.stream().allMatch(o -> o.equals("InvalidAuthenticationCode") || o.equals("Throttling")
                || o.equals("MFADeviceLocked")), outcomes.toString());
        assertEquals(100, column(serial, "failed_attempts"), "exactly one parallel guess was evaluated");
        assertNotNull(column(serial, "locked_at"));

        // locked: even the right code is refused, until an admin unlocks
        String good = totp.code(step + 1);
        assertError(Status.Code.FAILED_PRECONDITION, "MFADeviceLocked",
                () -> identity().verifyTotp(verify("yann", serial, good)));
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> user("yann").unlockMFADevice(
                UnlockMFADeviceRequest.newBuilder().setSerialNumber(serial).build()));
        policy.reset();
        root().unlockMFADevice(UnlockMFADeviceRequest.newBuilder().setUserName("yann").setSerialNumber(serial).build());
        assertEquals(new Asked(ARN + "root", "gatekey:UnlockMFADevice", ARN + "user/yann"), asked().get(0));
        assertNull(column(serial, "locked_at"));
        identity().verifyTotp(verify("yann", serial, good));

        List<String> events = root().listMFADeviceEvents(ListMFADeviceEventsRequest.newBuilder()
                .setSerialNumber(serial).build()).getEventsList().stream().map(MFADeviceEvent::getEventName).toList();
        assertEquals(List.of("UnlockMFADevice", "Lock", "FailedAttempt", "EnableMFADevice", "CreateVirtualMFADevice"),
                events.stream().filter(e -> !e.equals("VerifyTotp")).distinct().toList());
        // the throttled and locked refusals are on the account's record too
        assertTrue(events.contains("VerifyTotp"), events.toString());
    }

    @Test
    void parallelWrongCodesAreCountedExactly() throws Exception {
        String serial = enabledDevice("zoe", "zoe-phone");
        List<String> outcomes = parallel(16, i -> {
            identity().verifyTotp(verify("zoe", serial, "00000" + (i % 10)));
            return "Success";
        });
        long counted = outcomes.stream().filter("InvalidAuthenticationCode"::equals).count();
        assertTrue(counted >= 1 && outcomes.stream().allMatch(o -> o.equals("InvalidAuthenticationCode")
                || o.equals("Throttling")), outcomes.toString());
        assertEquals(counted, ((Number) column(serial, "failed_attempts")).longValue(),
                "every evaluated guess is counted, no count is lost");
        assertEquals(counted, userFailures("zoe"));
    }

    /**
     * A right code for a device verified before is accepted by one UPDATE that re-checks
     * everything the service remembered; whatever changed behind its back (another replica's
     * acceptance, a failure of the user's, a lock, back-off, deactivation) is found by the
     * database, and the code is decided again on a fresh read.
     */
    @Test
    void aRememberedDeviceIsRecheckedByTheDatabase() throws Exception {
        String serial = enabledDevice("remy", "remy-phone");
        Totp totp = SEEDS.get(serial);
        if (Instant.now().getEpochSecond() % 30 > 25) {
            Thread.sleep(5_000); // keep the whole test inside one 30-second step
        }
        long s = totp.step(Instant.now());
        sql("UPDATE mfa_devices SET last_used_step = ? WHERE serial_number = ?", s - 3, serial);
        identity().verifyTotp(verify("remy", serial, totp.code(s - 1))); // read and remembered

        // another failure of the user's, on any device: back-off applies
        sql("INSERT INTO mfa_user_failures (account_id, user_key, failed_attempts, last_failed_at) "
                + "VALUES (?, 'remy', 12, now())", ACCOUNT);
        assertError(Status.Code.RESOURCE_EXHAUSTED, "Throttling",
                () -> identity().verifyTotp(verify("remy", serial, totp.code(s))));
        sql("DELETE FROM mfa_user_failures WHERE account_id = ? AND user_key = 'remy'", ACCOUNT);
        // a lock
        sql("UPDATE mfa_devices SET locked_at = now() WHERE serial_number = ?", serial);
        assertError(Status.Code.FAILED_PRECONDITION, "MFADeviceLocked",
                () -> identity().verifyTotp(verify("remy", serial, totp.code(s))));
        sql("UPDATE mfa_devices SET locked_at = NULL WHERE serial_number = ?", serial);
        // the device's back-off
        sql("UPDATE mfa_devices SET failed_attempts = 7, last_failed_at = now() WHERE serial_number = ?", serial);
        assertError(Status.Code.RESOURCE_EXHAUSTED, "Throttling",
                () -> identity().verifyTotp(verify("remy", serial, totp.code(s))));
        sql("UPDATE mfa_devices SET failed_attempts = 0, last_failed_at = NULL WHERE serial_number = ?", serial);
        // the step accepted meanwhile elsewhere (another replica): a replay, counted
        sql("UPDATE mfa_devices SET last_used_step = ? WHERE serial_number = ?", s, serial);
        assertInvalidCode(() -> identity().verifyTotp(verify("remy", serial, totp.code(s))));
        assertEquals(1, column(serial, "failed_attempts"));

        // remembered again, then deactivated: the device is no longer the user's
        sql("UPDATE mfa_devices SET last_used_step = ?, failed_attempts = 0, last_failed_at = NULL "
                + "WHERE serial_number = ?", s - 3, serial);
        sql("DELETE FROM mfa_user_failures WHERE account_id = ? AND user_key = 'remy'", ACCOUNT);
        identity().verifyTotp(verify("remy", serial, totp.code(s - 1)));
        user("remy").deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder().setSerialNumber(serial).build());
        assertInvalidCode(() -> identity().verifyTotp(verify("remy", serial, totp.code(s))));
        assertNull(column(serial, "user_name"));
        assertEquals(s - 1, ((Number) column(serial, "last_used_step")).longValue(), "nothing was accepted");
    }

    // ---- hardware tokens ------------------------------------------------------------------

    @Test
    void aHardwareTokenRegistersEnablesVerifiesResyncsAndDeactivates() throws Exception {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        MfaDeviceServiceBlockingStub admin = root();
        String serial = "GAHT10000001";
        admin.registerHardwareMFADevice(RegisterHardwareMFADeviceRequest.newBuilder().setSerialNumber(serial)
                .setSeed(ByteString.copyFrom(seed)).setAlgorithm(dev.gatekey.mfa.v1.HmacAlgorithm.HMAC_ALGORITHM_SHA256)
                .setDigits(8).setPeriodSeconds(60).build());
        assertEquals(new Asked(ARN + "root", "gatekey:RegisterHardwareMFADevice", ARN + "mfa/" + serial),
                asked().get(0));
        assertEquals("HARDWARE_TOTP", column(serial, "device_type"));
        Totp totp = new Totp(seed, new TotpParameters(HmacAlgorithm.SHA256, 8, 60));
        long step = totp.step(Instant.now());
        MfaDeviceServiceBlockingStub hal = user("hal");
        hal.enableMFADevice(enableRequest("", serial, totp.code(step - 1), totp.code(step)));
        assertEquals(serial, identity().verifyTotp(verify("hal", serial, totp.code(step + 1))).getSerialNumber());
        hal.resyncMFADevice(ResyncMFADeviceRequest.newBuilder().setSerialNumber(serial)
                .setAuthenticationCode1(totp.code(step + 2)).setAuthenticationCode2(totp.code(step + 3)).build());
        hal.deactivateMFADevice(DeactivateMFADeviceRequest.newBuilder().setSerialNumber(serial).build());
        assertNull(column(serial, "user_name"));
        assertNotNull(column(serial, "id"), "a token stays registered, unassigned");

        assertError(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists", () -> admin.registerHardwareMFADevice(
                RegisterHardwareMFADeviceRequest.newBuilder().setSerialNumber(serial).setSeed(ByteString.copyFrom(seed))
                        .build()));
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> admin.registerHardwareMFADevice(
                RegisterHardwareMFADeviceRequest.newBuilder().setSerialNumber(ARN + "mfa/sneaky")
                        .setSeed(ByteString.copyFrom(seed)).build()));
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> admin.registerHardwareMFADevice(
                RegisterHardwareMFADeviceRequest.newBuilder().setSerialNumber("GAHT10000002")
                        .setSeed(ByteString.copyFrom(new byte[10])).build()));
        assertError(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> admin.registerHardwareMFADevice(
                RegisterHardwareMFADeviceRequest.newBuilder().setSerialNumber("GAHT10000003")
                        .setSeed(ByteString.copyFrom(seed)).setDigits(7).build()));
        assertNull(column("GAHT10000002", "id"));
    }

    @Test
    void pskcImportOfTheRfcEncryptedExampleAsATotpToken() throws Exception {
        byte[] psk = HexFormat.of().parseHex("12345678901234567890123456789012");
        // RFC 6030 Figure 6 with the key's algorithm set to TOTP (its MAC covers only the ciphertext)
        String figure6 = new String(resourceBytes("rfc6030-figure6.xml"), StandardCharsets.UTF_8);
        String totpVariant = figure6.replace("urn:ietf:params:xml:ns:keyprov:pskc:hotp",
                "urn:ietf:params:xml:ns:keyprov:pskc:totp").replaceAll("(?s)<Counter>.*?</Counter>",
                "<TimeInterval><PlainValue>30</PlainValue></TimeInterval>");
        MfaDeviceServiceBlockingStub admin = root();
        assertError(Status.Code.INVALID_ARGUMENT, "InvalidInput", () -> admin.importHardwareMFADevices(
                ImportHardwareMFADevicesRequest.newBuilder().setPskcDocument(ByteString.copyFromUtf8(totpVariant))
                        .setPreSharedKey(ByteString.copyFrom(new byte[16])).build()));
        assertNull(column("987654321", "id"), "a wrong pre-shared key imports nothing");
        // the RFC's HOTP example itself is understood but refused: event-based tokens are not TOTP
        StatusRuntimeException hotp = assertError(Status.Code.INVALID_ARGUMENT, "InvalidInput",
                () -> admin.importHardwareMFADevices(ImportHardwareMFADevicesRequest.newBuilder()
                        .setPskcDocument(ByteString.copyFromUtf8(figure6)).setPreSharedKey(ByteString.copyFrom(psk))
                        .build()));
        assertTrue(hotp.getStatus().getDescription().contains("only time-based keys"));

        var imported = admin.importHardwareMFADevices(ImportHardwareMFADevicesRequest.newBuilder()
                .setPskcDocument(ByteString.copyFromUtf8(totpVariant)).setPreSharedKey(ByteString.copyFrom(psk))
                .build());
        assertEquals(List.of("987654321"), imported.getSerialNumbersList());
        Totp totp = new Totp("12345678901234567890".getBytes(StandardCharsets.US_ASCII),
                new TotpParameters(HmacAlgorithm.SHA1, 8, 30));
        long step = totp.step(Instant.now());
        user("ian").enableMFADevice(enableRequest("", "987654321", totp.code(step - 1), totp.code(step)));
        identity().verifyTotp(verify("ian", "987654321", totp.code(step + 1)));
        assertError(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists", () -> admin.importHardwareMFADevices(
                ImportHardwareMFADevicesRequest.newBuilder().setPskcDocument(ByteString.copyFromUtf8(totpVariant))
                        .setPreSharedKey(ByteString.copyFrom(psk)).build()));

        // a vendor file with an HMAC-SHA256 MAC, SHA-256 tokens and 60-second steps
        byte[] vendorKey = new byte[16];
        byte[] macKey = new byte[32];
        byte[] seed = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(vendorKey);
        random.nextBytes(macKey);
        random.nextBytes(seed);
        String vendor = PskcDocumentTest.encryptedTotpDocument("GALT55550001", seed, vendorKey, macKey,
                "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "HMAC-SHA256", 60);
        admin.importHardwareMFADevices(ImportHardwareMFADevicesRequest.newBuilder()
                .setPskcDocument(ByteString.copyFromUtf8(vendor)).setPreSharedKey(ByteString.copyFrom(vendorKey)).build());
        assertEquals("SHA256", column("GALT55550001", "totp_algorithm"));
        assertEquals(60, ((Number) column("GALT55550001", "totp_period_seconds")).intValue());
    }

    // ---- seeds, audit ---------------------------------------------------------------------

    @Test
    void rotationReencryptsSeedsUnderTheActiveKeyAndTheyStillWork() throws Exception {
        byte[] seed = new byte[20];
        new SecureRandom().nextBytes(seed);
        String serial = ARN + "mfa/rotated-phone";
        SeedCipher retired = SeedCipher.fromConfiguration("test0:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
                "test0", new SecureRandom());
        EncryptedSeed old = retired.encrypt(seed, serial);
        sql("INSERT INTO mfa_devices (serial_number, account_id, device_type, device_name, path, seed_ciphertext, "
                + "seed_nonce, seed_key_id, totp_algorithm, totp_digits, totp_period_seconds) VALUES (?, '" + ACCOUNT
                + "', 'VIRTUAL', 'rotated-phone', '/', ?, ?, 'test0', 'SHA1', 6, 30)", serial, old.ciphertext(),
                old.nonce());
        byte[] before = (byte[]) column(serial, "seed_ciphertext");

        policy.reset();
        var rotated = root().rotateSeedKeys(RotateSeedKeysRequest.newBuilder().setBatchSize(2).build());
        assertEquals(new Asked(ARN + "root", "gatekey:RotateSeedKeys", "*"), asked().get(0));
        assertEquals("test1", rotated.getActiveKeyId());
        assertTrue(rotated.getSeedsReencrypted() >= 1);
        assertEquals("test1", column(serial, "seed_key_id"));
        assertFalse(java.util.Arrays.equals(before, (byte[]) column(serial, "seed_ciphertext")));
        assertEquals(0L, scalar("SELECT count(*) FROM mfa_devices WHERE seed_key_id <> 'test1'"));

        Totp totp = new Totp(seed, TotpParameters.VIRTUAL_DEVICE);
        long step = totp.step(Instant.now());
        user("rob").enableMFADevice(enableRequest("", serial, totp.code(step - 1), totp.code(step)));
        assertEquals("RotateSeedKey", root().listMFADeviceEvents(ListMFADeviceEventsRequest.newBuilder()
                .setSerialNumber(serial).build()).getEvents(1).getEventName());
    }

    @Test
    void theAuditTrailSaysWhoWhenAndFromWhereButNeverACode() throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER), "203.0.113.7, 10.0.0.1");
        MfaDeviceServiceBlockingStub sam = user("sam").withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        String serial = create(sam, "sam-phone").getSerialNumber();
        Totp totp = SEEDS.get(serial);
        long step = enable(sam, "", serial);
        String wrongCode = wrong(totp.code(step + 1));
        assertInvalidCode(() -> identity().verifyTotp(verify("sam", serial, wrongCode).toBuilder()
                .setSourceIp("198.51.100.23").build()));
        policy.allow(false);
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> sam.deactivateMFADevice(
                DeactivateMFADeviceRequest.newBuilder().setSerialNumber(serial).build()));
        policy.allow(true);

        policy.reset();
        List<MFADeviceEvent> events = root().listMFADeviceEvents(ListMFADeviceEventsRequest.newBuilder()
                .setUserName("sam").build()).getEventsList();
        assertEquals(new Asked(ARN + "root", "gatekey:ListMFADeviceEvents", "*"), asked().get(0));
        assertEquals(List.of("DeactivateMFADevice", "FailedAttempt", "EnableMFADevice"),
                events.stream().map(MFADeviceEvent::getEventName).toList());
        assertEquals("AccessDenied", events.get(0).getOutcome());
        assertEquals("203.0.113.7", events.get(0).getSourceAddress());
        assertEquals("198.51.100.23", events.get(1).getSourceAddress());
        assertEquals("gatekey:service/identity-service", events.get(1).getPrincipalArn());
        assertEquals("InvalidAuthenticationCode", events.get(1).getOutcome());
        assertEquals(ARN + "user/sam", events.get(2).getPrincipalArn());
        assertTrue(events.get(2).getEventTime().getSeconds() > Instant.now().minusSeconds(300).getEpochSecond());
        assertEquals(0L, scalar("SELECT count(*) FROM mfa_device_events WHERE concat_ws('|', event_name, "
                + "principal_arn, source_address, serial_number, user_name, outcome) LIKE '%" + wrongCode + "%'"));
    }

    // ---- identity-service's needs ---------------------------------------------------------

    @Test
    void accountSummaryAndRenameForIdentityService() throws Exception {
        String account = "333333333333";
        MfaDeviceServiceBlockingStub acctRoot = as(TestTokens.sign(new Caller(IamNames.rootArn(account),
                PrincipalType.ROOT, account, account, "root", Optional.of(false), Optional.empty(), Instant.now(), null)));
        enable(acctRoot, "", create(acctRoot, "root-mfa").getSerialNumber());
        enable(acctRoot, "amy", create(acctRoot, "amy-phone").getSerialNumber());
        create(acctRoot, "spare");

        var summary = identity().getAccountMfaSummary(GetAccountMfaSummaryRequest.newBuilder().setAccountId(account)
                .build());
        assertEquals(3, summary.getMfaDevices());
        assertEquals(2, summary.getMfaDevicesInUse());
        assertEquals(List.of("amy"), summary.getUserNamesWithMfaList());
        assertTrue(summary.getAccountMfaEnabled());
        policy.reset();
        assertEquals(3, acctRoot.getAccountMfaSummary(GetAccountMfaSummaryRequest.getDefaultInstance()).getMfaDevices());
        assertEquals(new Asked(IamNames.rootArn(account), "iam:GetAccountSummary", "*"), asked().get(0));
        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> acctRoot.getAccountMfaSummary(
                GetAccountMfaSummaryRequest.newBuilder().setAccountId(ACCOUNT).build()));

        assertError(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> acctRoot.renameUser(RenameUserRequest
                .newBuilder().setAccountId(account).setOldUserName("amy").setNewUserName("amelia").build()));
        assertEquals(1, identity().renameUser(RenameUserRequest.newBuilder().setAccountId(account)
                .setOldUserName("amy").setNewUserName("amelia").build()).getDevicesMoved());
        assertEquals(List.of("amelia"), identity().getAccountMfaSummary(GetAccountMfaSummaryRequest.newBuilder()
                .setAccountId(account).build()).getUserNamesWithMfaList());
        assertEquals("amelia", acctRoot.listMFADevices(ListMFADevicesRequest.newBuilder().setUserName("amelia")
                .build()).getMfaDevices(0).getUserName());
    }

    @Test
    void theRootUsersOwnDeviceVerifiesWithAnEmptyUserName() throws Exception {
        String account = "444444444444";
        MfaDeviceServiceBlockingStub acctRoot = as(TestTokens.sign(new Caller(IamNames.rootArn(account),
                PrincipalType.ROOT, account, account, "root", Optional.of(false), Optional.empty(), Instant.now(), null)));
        String serial = create(acctRoot, "root-key").getSerialNumber();
        long step = enable(acctRoot, "", serial);
        Totp totp = SEEDS.get(serial);
        assertEquals(serial, identity().verifyTotp(VerifyTotpRequest.newBuilder().setAccountId(account)
                .setSerialNumber(serial).setAuthenticationCode(totp.code(step + 1)).build()).getSerialNumber());
    }

    // ---- helpers --------------------------------------------------------------------------

    private MfaDeviceServiceBlockingStub as(String token) {
        return BearerToken.attach(anonymous, token);
    }

    private MfaDeviceServiceBlockingStub user(String name) {
        return as(TestTokens.userToken(name));
    }

    private MfaDeviceServiceBlockingStub root() {
        return as(TestTokens.rootToken());
    }

    private MfaDeviceServiceBlockingStub identity() {
        return as(TestTokens.sign(new Caller("gatekey:service/identity-service", PrincipalType.SERVICE, "", "", "",
                Optional.empty(), Optional.empty(), Instant.now(), null)));
    }

    private static VirtualMFADevice create(MfaDeviceServiceBlockingStub stub, String name) {
        VirtualMFADevice device = stub.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName(name).build()).getVirtualMfaDevice();
        SEEDS.put(device.getSerialNumber(), new Totp(
                Base32.decode(device.getBase32StringSeed().toString(StandardCharsets.US_ASCII)),
                TotpParameters.VIRTUAL_DEVICE));
        return device;
    }

    /** Enables with the previous and the current code; returns the current step. */
    private static long enable(MfaDeviceServiceBlockingStub stub, String user, String serial) {
        Totp totp = SEEDS.get(serial);
        long step = totp.step(Instant.now());
        stub.enableMFADevice(enableRequest(user, serial, totp.code(step - 1), totp.code(step)));
        return step;
    }

    private String enabledDevice(String user, String name) {
        MfaDeviceServiceBlockingStub stub = user(user);
        String serial = create(stub, name).getSerialNumber();
        enable(stub, "", serial);
        return serial;
    }

    private static EnableMFADeviceRequest enableRequest(String user, String serial, String code1, String code2) {
        return EnableMFADeviceRequest.newBuilder().setUserName(user).setSerialNumber(serial)
                .setAuthenticationCode1(code1).setAuthenticationCode2(code2).build();
    }

    private static VerifyTotpRequest verify(String user, String serial, String code) {
        return VerifyTotpRequest.newBuilder().setAccountId(ACCOUNT).setUserName(user).setSerialNumber(serial)
                .setAuthenticationCode(code).build();
    }

    private static Tag tag(String key, String value) {
        return Tag.newBuilder().setKey(key).setValue(value).build();
    }

    private static String wrong(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }

    private void insertSecurityKey(String user, String serial) throws Exception {
        sql("INSERT INTO mfa_devices (serial_number, account_id, device_type, user_name, enable_date) "
                + "VALUES (?, '" + ACCOUNT + "', 'SECURITY_KEY', ?, now())", serial, user);
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

    private long userFailures(String userKey) throws Exception {
        Object value = scalar("SELECT coalesce(max(failed_attempts), 0) FROM mfa_user_failures WHERE account_id = '"
                + ACCOUNT + "' AND user_key = '" + userKey + "'");
        return ((Number) value).longValue();
    }

    private Object scalar(String query) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query);
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getObject(1);
        }
    }

    private void sql(String statement, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }

    private static byte[] resourceBytes(String name) throws Exception {
        try (var in = MfaDeviceLifecycleTest.class.getResourceAsStream("/pskc/" + name)) {
            return in.readAllBytes();
        }
    }

    private static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
        for (var detail : StatusProto.fromThrowable(e).getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                return detail.unpack(ErrorInfo.class);
            }
        }
        throw new AssertionError("no ErrorInfo");
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
}
