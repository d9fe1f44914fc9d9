package dev.gatekey.platform.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.UnaryCall;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.ListMFADevicesResponse;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VerifyTotpResponse;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One request id per call: accepted from the caller when it is a plausible token, made up
 * otherwise, echoed in the response headers, present in the MDC while the service works, and
 * carried on to the peers the service calls (mfa-device-service → policy-service here).
 */
class RequestIdTest {
    private Server server;
    private ManagedChannel channel;
    private final List<String> seenByPolicy = new ArrayList<>();
    private final List<Object> mdcInPolicy = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        var peerChannel = ClientInterceptors.intercept(channel, new RequestIdClientInterceptor());
        var serverInterceptor = new RequestIdServerInterceptor();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(new PolicyServiceGrpc.PolicyServiceImplBase() {
                    @Override
                    public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> observer) {
                        seenByPolicy.add(RequestIds.current());
                        mdcInPolicy.add(MDC.get(RequestIds.MDC_KEY));
                        UnaryCall.complete(observer, () -> AuthorizeResponse.newBuilder()
                                .setDecision(Decision.DECISION_ALLOWED).build());
                    }
                }, serverInterceptor))
                // mfa-device-service asks policy-service before it answers, as the real one does
                .addService(ServerInterceptors.intercept(new MfaDeviceServiceGrpc.MfaDeviceServiceImplBase() {
                    @Override
                    public void verifyTotp(VerifyTotpRequest request, StreamObserver<VerifyTotpResponse> observer) {
                        UnaryCall.complete(observer, () -> {
                            PolicyServiceGrpc.newBlockingStub(peerChannel).authorize(AuthorizeRequest.getDefaultInstance());
                            return VerifyTotpResponse.getDefaultInstance();
                        });
                    }

                    @Override
                    public void listMFADevices(ListMFADevicesRequest request,
                            StreamObserver<ListMFADevicesResponse> observer) {
                        UnaryCall.complete(observer, () -> {
                            throw new GatekeyException("AccessDenied", ErrorKind.ACCESS_DENIED, "denied");
                        });
                    }
                }, serverInterceptor))
                .build().start();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void theCallersIdIsKeptEchoedLoggedAndCarriedToPeers() {
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        Metadata headers = new Metadata();
        headers.put(RequestIds.HEADER, "ingress-7f3a.42");
        var mfa = MfaDeviceServiceGrpc.newBlockingStub(channel).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(headers),
                MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, new AtomicReference<>()));

        mfa.verifyTotp(VerifyTotpRequest.getDefaultInstance());

        assertEquals("ingress-7f3a.42", responseHeaders.get().get(RequestIds.HEADER));
        assertEquals(List.of("ingress-7f3a.42"), seenByPolicy);
        assertEquals(List.of("ingress-7f3a.42"), mdcInPolicy);
    }

    @Test
    void anImplausibleIdIsReplacedAndEachCallGetsItsOwn() {
        AtomicReference<Metadata> first = new AtomicReference<>();
        AtomicReference<Metadata> second = new AtomicReference<>();
        Metadata hostile = new Metadata();
        hostile.put(RequestIds.HEADER, "a b\" injected=1");
        PolicyServiceGrpc.newBlockingStub(channel).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(hostile),
                MetadataUtils.newCaptureMetadataInterceptor(first, new AtomicReference<>()))
                .authorize(AuthorizeRequest.getDefaultInstance());
        PolicyServiceGrpc.newBlockingStub(channel).withInterceptors(
                MetadataUtils.newCaptureMetadataInterceptor(second, new AtomicReference<>()))
                .authorize(AuthorizeRequest.getDefaultInstance());

        String replaced = first.get().get(RequestIds.HEADER);
        String generated = second.get().get(RequestIds.HEADER);
        assertTrue(replaced.matches("[0-9a-f-]{36}"), replaced);
        assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
        assertNotEquals(replaced, generated);
        assertEquals(List.of(replaced, generated), seenByPolicy);
    }

    @Test
    void aFailedCallEchoesTheIdToo() {
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        Metadata headers = new Metadata();
        headers.put(RequestIds.HEADER, "failing-1");
        var mfa = MfaDeviceServiceGrpc.newBlockingStub(channel).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(headers),
                MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));

        assertThrows(StatusRuntimeException.class, () -> mfa.listMFADevices(ListMFADevicesRequest.getDefaultInstance()));

        assertEquals("failing-1", trailers.get().get(RequestIds.HEADER));
    }

    @Test
    void acceptsOnlyShortPlainTokens() {
        assertEquals("abc-123_X.y:z", RequestIds.acceptOrCreate("abc-123_X.y:z"));
        assertNotEquals("x".repeat(65), RequestIds.acceptOrCreate("x".repeat(65)));
        assertNotEquals("", RequestIds.acceptOrCreate(""));
        assertNotEquals("a\nb", RequestIds.acceptOrCreate("a\nb"));
    }
}
