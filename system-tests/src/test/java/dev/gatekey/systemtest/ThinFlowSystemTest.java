package dev.gatekey.systemtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.gatekey.identity.v1.CreateLoginProfileRequest;
import dev.gatekey.identity.v1.CreateUserRequest;
import dev.gatekey.identity.v1.GetCallerIdentityRequest;
import dev.gatekey.identity.v1.GetUserRequest;
import dev.gatekey.identity.v1.IamUserCredentials;
import dev.gatekey.identity.v1.IdentityServiceGrpc;
import dev.gatekey.identity.v1.RootUserCredentials;
import dev.gatekey.identity.v1.SignInRequest;
import dev.gatekey.identity.v1.SignInResponse;
import dev.gatekey.local.LocalSystem;
import dev.gatekey.local.LocalSystem.Service;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.EnableMFADeviceRequest;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.VirtualMFADevice;
import dev.gatekey.policy.v1.AttachUserPolicyRequest;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.CreatePolicyRequest;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's MFA flow across the three packaged services, started as separate processes on
 * an embedded PostgreSQL, driven only through their public gRPC APIs.
 */
class ThinFlowSystemTest {
    private static final String ALICE_PASSWORD = "Correct-Horse-9-Battery";
    private static final String BOB_PASSWORD = "Tr0ub4dor&3-staple";

    private static LocalSystem system;
    private static final Map<Service, ManagedChannel> channels = new EnumMap<>(Service.class);

    @BeforeAll
    static void startSystem() throws IOException {
        Path repo = Path.of(System.getProperty("gatekey.repo", "..")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("gatekey-system-test");
        system = LocalSystem.start(repo, work, LocalSystem.freePorts());
        for (Service service : Service.values()) {
            channels.put(service, ManagedChannelBuilder.forTarget(system.grpcAddress(service)).usePlaintext().build());
        }
    }

    @AfterAll
    static void stopSystem() throws InterruptedException {
        for (ManagedChannel channel : channels.values()) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyServiceIsHealthyAndListsItsApiThroughReflection() throws Exception {
        Map<Service, String> api = Map.of(
                Service.IDENTITY, "gatekey.identity.v1.IdentityService",
                Service.MFA, "gatekey.mfa.v1.MfaDeviceService",
                Service.POLICY, "gatekey.policy.v1.PolicyService");
        HttpClient http = HttpClient.newHttpClient();
        for (Service service : Service.values()) {
            ManagedChannel channel = channels.get(service);
            assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                    HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus());
            assertTrue(reflectedServices(channel).contains(api.get(service)), service + " reflection");
            for (String probe : List.of("/q/health/live", "/q/health/ready")) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(system.httpUrl(service) + probe)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), service + probe + ": " + response.body());
            }
        }
    }

    @Test
    void theSeedsMfaFlowEndToEnd() throws Exception {
        String account = system.state().accountId();
        var identity = IdentityServiceGrpc.newBlockingStub(channels.get(Service.IDENTITY));

        // The bootstrapped root user signs in with its e-mail and creates alice and bob.
        String root = identity.signIn(SignInRequest.newBuilder()
                .setRootUser(RootUserCredentials.newBuilder().setEmail(system.state().rootEmail()))
                .setPassword(system.state().rootPassword()).build()).getAccessToken();
        var identityAsRoot = bearer(identity, root);
        for (String user : List.of("alice", "bob")) {
            assertEquals("arn:aws:iam::" + account + ":user/" + user, identityAsRoot
                    .createUser(CreateUserRequest.newBuilder().setUserName(user).build()).getUser().getArn());
        }
        identityAsRoot.createLoginProfile(CreateLoginProfileRequest.newBuilder()
                .setUserName("alice").setPassword(ALICE_PASSWORD).build());

        // Root stores the seed's enforcement policy and a policy to read users, attaches both to alice.
        var policyAsRoot = bearer(PolicyServiceGrpc.newBlockingStub(channels.get(Service.POLICY)), root);
        for (String[] policy : new String[][] {
                {"BlockMostAccessUnlessSignedInWithMFA", "block-most-access-unless-signed-in-with-mfa.json"},
                {"AllowGetAnyUser", "allow-get-any-user.json"}}) {
            String arn = policyAsRoot.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(policy[0])
                    .setPolicyDocument(resource(policy[1])).build()).getPolicy().getArn();
            assertEquals("arn:aws:iam::" + account + ":policy/" + policy[0], arn);
            policyAsRoot.attachUserPolicy(AttachUserPolicyRequest.newBuilder()
                    .setUserName("alice").setPolicyArn(arn).build());
        }

        // alice signs in with her password only: aws:MultiFactorAuthPresent=false.
        SignInResponse passwordOnly = identity.signIn(aliceSignIn().build());
        assertFalse(passwordOnly.getMultiFactorAuthPresent());
        assertEquals(Boolean.FALSE, jwtClaims(passwordOnly.getAccessToken()).get("aws:MultiFactorAuthPresent"));

        // Without MFA the enforcement policy denies reading another user (explicit deny)...
        var aliceNoMfa = bearer(identity, passwordOnly.getAccessToken());
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> aliceNoMfa.getUser(GetUserRequest.newBuilder().setUserName("bob").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals("AccessDenied", reason(denied));
        assertEquals("User: arn:aws:iam::" + account + ":user/alice is not authorized to perform: iam:GetUser"
                + " on resource: arn:aws:iam::" + account + ":user/bob with an explicit deny in an identity-based"
                + " policy", denied.getStatus().getDescription());

        // ...but lets her create and enable her own virtual MFA device.
        var mfaAsAlice = bearer(MfaDeviceServiceGrpc.newBlockingStub(channels.get(Service.MFA)),
                passwordOnly.getAccessToken());
        VirtualMFADevice device = mfaAsAlice.createVirtualMFADevice(CreateVirtualMFADeviceRequest.newBuilder()
                .setVirtualMfaDeviceName("alice").build()).getVirtualMfaDevice();
        String serial = "arn:aws:iam::" + account + ":mfa/alice";
        assertEquals(serial, device.getSerialNumber());
        String base32 = device.getBase32StringSeed().toString(StandardCharsets.US_ASCII);
        byte[] seed = TotpOracle.base32Decode(base32);
        assertEquals(20, seed.length, "a 160-bit seed");
        assertEquals(device.getOtpauthUri(), decodeQr(device.getQrCodePng().toByteArray()));
        assertTrue(device.getOtpauthUri().startsWith("otpauth://totp/alice@" + account + "?secret=" + base32));

        // Two consecutive codes, as an authenticator app shows them (the previous and the current step).
        long now = TotpOracle.step(System.currentTimeMillis() / 1000);
        mfaAsAlice.enableMFADevice(EnableMFADeviceRequest.newBuilder().setUserName("alice").setSerialNumber(serial)
                .setAuthenticationCode1(TotpOracle.code(seed, now - 1))
                .setAuthenticationCode2(TotpOracle.code(seed, now)).build());
        assertEquals(serial, mfaAsAlice.listMFADevices(ListMFADevicesRequest.getDefaultInstance())
                .getMfaDevices(0).getSerialNumber());

        // alice signs in with password + the next code: aws:MultiFactorAuthPresent=true and the MFA time.
        String code = TotpOracle.code(seed, now + 1);
        SignInResponse withMfa = identity.signIn(aliceSignIn().setMfaSerialNumber(serial)
                .setMfaAuthenticationCode(code).build());
        assertTrue(withMfa.getMultiFactorAuthPresent());
        Map<String, Object> claims = jwtClaims(withMfa.getAccessToken());
        assertEquals(Boolean.TRUE, claims.get("aws:MultiFactorAuthPresent"));
        long mfaTime = ((Number) claims.get("gatekey:MultiFactorAuthTime")).longValue();
        assertTrue(Math.abs(System.currentTimeMillis() / 1000 - mfaTime) < 60, "MFA time is now");

        // The same action is now allowed.
        var aliceWithMfa = bearer(identity, withMfa.getAccessToken());
        assertEquals("arn:aws:iam::" + account + ":user/bob",
                aliceWithMfa.getUser(GetUserRequest.newBuilder().setUserName("bob").build()).getUser().getArn());
        assertTrue(aliceWithMfa.getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance())
                .getMultiFactorAuthPresent());

        // The code that was accepted is rejected when presented again.
        StatusRuntimeException replay = assertThrows(StatusRuntimeException.class, () -> identity.signIn(
                aliceSignIn().setMfaSerialNumber(serial).setMfaAuthenticationCode(code).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, replay.getStatus().getCode());
        assertEquals("InvalidAuthenticationCode", reason(replay));

        // So is a wrong code, and a wrong password gets no token whatever the code.
        String wrong = TotpOracle.code(seed, now + 40);
        StatusRuntimeException wrongCode = assertThrows(StatusRuntimeException.class, () -> identity.signIn(
                aliceSignIn().setMfaSerialNumber(serial).setMfaAuthenticationCode(wrong).build()));
        assertEquals("InvalidAuthenticationCode", reason(wrongCode));
        StatusRuntimeException wrongPassword = assertThrows(StatusRuntimeException.class, () -> identity.signIn(
                aliceSignIn().setPassword(BOB_PASSWORD).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, wrongPassword.getStatus().getCode());
        assertEquals("SignInFailed", reason(wrongPassword));
    }

    @Test
    void callsWithoutATokenOrWithAForgedOneAreRefused() throws Exception {
        var identity = IdentityServiceGrpc.newBlockingStub(channels.get(Service.IDENTITY));
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> identity.getUser(GetUserRequest.newBuilder().setUserName("alice").build()));
        assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
        assertEquals("MissingAuthenticationToken", reason(missing));

        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ("{\"sub\":\"arn:aws:iam::" + system.state().accountId() + ":root\"}")
                                .getBytes(StandardCharsets.UTF_8)) + ".";
        List<Runnable> calls = List.of(
                () -> bearer(identity, forged).getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()),
                () -> bearer(MfaDeviceServiceGrpc.newBlockingStub(channels.get(Service.MFA)), forged)
                        .listMFADevices(ListMFADevicesRequest.getDefaultInstance()),
                () -> bearer(PolicyServiceGrpc.newBlockingStub(channels.get(Service.POLICY)), forged)
                        .authorize(AuthorizeRequest.newBuilder().setAction("iam:GetUser").setResource("*").build()));
        for (Runnable call : calls) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call::run);
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
        }
    }

    private static SignInRequest.Builder aliceSignIn() {
        return SignInRequest.newBuilder()
                .setIamUser(IamUserCredentials.newBuilder().setAccountId(system.state().accountId())
                        .setUserName("alice"))
                .setPassword(ALICE_PASSWORD);
    }

    private static <S extends AbstractStub<S>> S bearer(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static String reason(StatusRuntimeException e) throws Exception {
        for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                ErrorInfo info = detail.unpack(ErrorInfo.class);
                assertEquals("gatekey.dev", info.getDomain());
                return info.getReason();
            }
        }
        throw new AssertionError("no ErrorInfo in " + e.getStatus());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jwtClaims(String jwt) throws IOException {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return (Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(payload, Map.class);
    }

    private static String decodeQr(byte[] png) throws Exception {
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        var image = ImageIO.read(new ByteArrayInputStream(png));
        // PURE_BARCODE: the PNG is the code itself, not a photo of it, so no detector guesswork
        return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(image))), Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                .getText();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ThinFlowSystemTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> reflectedServices(ManagedChannel channel) throws Exception {
        CompletableFuture<List<String>> names = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    final List<String> found = new ArrayList<>();

                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        response.getListServicesResponse().getServiceList().forEach(s -> found.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        names.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        names.complete(found);
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        return names.get(10, TimeUnit.SECONDS);
    }
}
